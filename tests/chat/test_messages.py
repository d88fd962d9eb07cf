"""Messages over REST: pages, limits, live events, leaving, archiving, unread counts, offline notices, flood limits."""

import time
import uuid
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.throttling import ScopedRateThrottle

from chat import services
from chat.models import Message, Participant
from notifications import groups
from notifications.models import Notification
from notifications.selectors import replay_after
from tests import factories
from tests.chat.helpers import (
    conversation_url,
    direct,
    listed,
    message_url,
    messages_url,
    png_bytes,
    send,
    sent,
    socket_open,
)
from tests.conftest import client_for
from tests.notifications.redis_listener import frame

pytestmark = pytest.mark.django_db


def page(client, url, **params) -> dict:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.data


def contents(data: dict) -> list[str]:
    return [item["content"] for item in data["results"]]


def stored_message_notices(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, event_type="notification", notification_type="message"))


# --- pages -------------------------------------------------------------------------------------
def test_messages_come_newest_first_in_cursor_pages(recruiter_client, seeker_client, conversation):
    for n in range(5):
        sent(recruiter_client if n % 2 == 0 else seeker_client, conversation, f"message {n}")

    first = page(seeker_client, messages_url(conversation), page_size=2)
    assert set(first) == {"next", "previous", "results"}
    assert contents(first) == ["message 4", "message 3"]
    assert first["previous"] is None and first["next"]

    second = page(seeker_client, first["next"])
    assert contents(second) == ["message 2", "message 1"]
    assert second["previous"] and second["next"]

    last = page(seeker_client, second["next"])
    assert contents(last) == ["message 0"]
    assert last["next"] is None

    back = page(seeker_client, last["previous"])
    assert contents(back) == ["message 2", "message 1"]


def test_default_page_and_message_fields(recruiter_client, recruiter, seeker_client, conversation):
    for n in range(35):
        Message.objects.create(conversation=conversation, sender=recruiter, content=f"bulk {n}")
    data = page(seeker_client, messages_url(conversation))
    assert len(data["results"]) == 30
    assert contents(data)[0] == "bulk 34"

    newest = sent(recruiter_client, conversation, "Hi there")
    item = page(seeker_client, messages_url(conversation), page_size=1)["results"][0]
    assert item == newest
    assert item["sender_id"] == str(recruiter.pk)
    assert item["conversation_id"] == str(conversation.pk)
    assert item["sender_name"] == recruiter.full_name
    assert item["message_type"] == "text"
    assert item["attachment"] is None
    assert item["deleted"] is False
    assert item["created_at"].endswith("Z")


def test_a_message_over_the_length_limit_is_a_400(settings, recruiter_client, conversation):
    settings.KAZI_CHAT_MAX_MESSAGE_LENGTH = 50

    too_long = send(recruiter_client, conversation, "x" * 51)
    assert too_long.status_code == 400
    assert "50" in too_long.data["content"][0]
    assert not Message.objects.exists()

    assert send(recruiter_client, conversation, "x" * 50).status_code == 201


@pytest.mark.parametrize("content", ["", "   \n\t ", "<script>alert(1)</script>", "<b></b>"])
def test_an_empty_message_is_a_400(recruiter_client, conversation, content):
    response = send(recruiter_client, conversation, content)

    assert response.status_code == 400
    assert "content" in response.data
    assert not Message.objects.exists()


def test_an_unknown_message_type_is_a_400(recruiter_client, conversation):
    response = send(recruiter_client, conversation, "hello", message_type="video")

    assert response.status_code == 400
    assert "message_type" in response.data


# --- new_message events ------------------------------------------------------------------------
def test_sending_stores_a_new_message_event_for_every_participant(recruiter_client, recruiter, seeker, conversation):
    message = sent(recruiter_client, conversation, "Would Tuesday work for you?")

    events = Notification.objects.filter(event_type="new_message").order_by("recipient_id")
    assert {e.recipient_id for e in events} == {recruiter.pk, seeker.pk}
    for event in events:
        assert event.data["conversation_id"] == str(conversation.pk)
        assert event.data["message"]["id"] == message["id"]
        assert event.data["message"]["sender_id"] == str(recruiter.pk)
        assert event.data["message"]["content"] == "Would Tuesday work for you?"


def test_new_message_events_show_in_the_notification_list(recruiter_client, seeker_client, conversation):
    message = sent(recruiter_client, conversation, "Ping")

    response = seeker_client.get("/api/notifications/", {"type": "new_message"})

    assert response.status_code == 200
    [event] = response.data["results"]
    assert event["type"] == "new_message"
    assert event["data"]["message"]["id"] == message["id"]


@pytest.mark.django_db(transaction=True)
def test_new_message_reaches_the_other_participant_and_the_senders_other_tabs(listener):
    recruiter, seeker, outsider = factories.RecruiterFactory(), factories.SeekerFactory(), factories.SeekerFactory()
    conversation = direct(recruiter, seeker)
    listener.subscribe(groups.user_group(seeker.pk), groups.user_group(recruiter.pk), groups.user_group(outsider.pk))

    message = sent(client_for(recruiter), conversation, "Your interview is confirmed")

    received = listener.received()
    by_group: dict[str, list[dict]] = {}
    for group, envelope in received:
        by_group.setdefault(group, []).append(frame(envelope))
    assert groups.user_group(outsider.pk) not in by_group

    seeker_new = [f for f in by_group[groups.user_group(seeker.pk)] if f["type"] == "new_message"]
    assert len(seeker_new) == 1
    pushed = seeker_new[0]
    stored = Notification.objects.get(recipient=seeker, event_type="new_message")
    assert pushed["id"] == stored.pk
    assert pushed["conversation_id"] == str(conversation.pk)
    assert pushed["message"]["id"] == message["id"]
    assert pushed["message"]["content"] == "Your interview is confirmed"
    assert pushed["message"]["sender_id"] == str(recruiter.pk)

    senders_tabs = [f for f in by_group[groups.user_group(recruiter.pk)] if f["type"] == "new_message"]
    assert [f["message"]["id"] for f in senders_tabs] == [message["id"]]


# --- leaving -----------------------------------------------------------------------------------
def test_leaving_hides_the_conversation_for_that_user_only_until_a_new_message(
    recruiter_client, seeker_client, conversation
):
    sent(recruiter_client, conversation, "Hello")
    assert seeker_client.delete(conversation_url(conversation)).status_code == 204

    assert str(conversation.pk) not in listed(seeker_client)
    assert str(conversation.pk) in listed(recruiter_client)
    assert seeker_client.get(conversation_url(conversation)).status_code == 404
    assert Message.objects.filter(conversation=conversation).count() == 1  # nothing deleted for the other side

    sent(recruiter_client, conversation, "Are you still interested?")

    back = listed(seeker_client)
    assert str(conversation.pk) in back
    assert back[str(conversation.pk)]["unread_count"] == 2


def test_opening_the_direct_conversation_again_brings_it_back(recruiter, seeker_client, seeker, conversation):
    assert seeker_client.delete(conversation_url(conversation)).status_code == 204

    response = seeker_client.post("/api/chat/conversations/", {"participant_id": recruiter.pk}, format="json")

    assert response.status_code == 200
    assert response.data["id"] == str(conversation.pk)
    assert str(conversation.pk) in listed(seeker_client)


# --- archiving ---------------------------------------------------------------------------------
def test_archive_is_per_user(recruiter_client, seeker_client, conversation):
    key = str(conversation.pk)
    response = seeker_client.post(f"{conversation_url(conversation)}archive/", {"archived": True}, format="json")
    assert response.status_code == 200
    assert response.data == {"archived": True}

    assert key not in listed(seeker_client)
    assert key not in listed(seeker_client, "?archived=false")
    archived = listed(seeker_client, "?archived=true")
    assert key in archived and archived[key]["archived"] is True
    assert key in listed(recruiter_client)
    assert key not in listed(recruiter_client, "?archived=true")

    assert seeker_client.post(f"{conversation_url(conversation)}archive/", {"archived": False}, format="json").data == {
        "archived": False
    }
    assert key in listed(seeker_client)
    assert key not in listed(seeker_client, "?archived=true")


def test_bad_archive_input_is_a_400(seeker_client, conversation):
    assert seeker_client.post(f"{conversation_url(conversation)}archive/", {}, format="json").status_code == 400
    assert seeker_client.get("/api/chat/conversations/?archived=maybe").status_code == 400


def test_a_null_character_in_the_list_search_is_a_400(seeker_client, conversation):
    # PostgreSQL takes no NUL in a text query: it was a 500.
    response = seeker_client.get("/api/chat/conversations/", {"search": "wan\x00jiru"})

    assert response.status_code == 400
    assert "search" in response.data


# --- finding a conversation ----------------------------------------------------------------------
def test_the_list_search_finds_conversations_by_the_other_persons_name_or_title(recruiter_client, recruiter):
    wanjiru = factories.SeekerFactory(first_name="Wanjiru", last_name="Kamau")
    otieno = factories.SeekerFactory(first_name="Otieno", last_name="Odhiambo")
    with_wanjiru, with_otieno = direct(recruiter, wanjiru), direct(recruiter, otieno)
    with_otieno.title = "Backend role"
    with_otieno.save()

    assert list(listed(recruiter_client, "?search=wanjiru")) == [str(with_wanjiru.pk)]
    assert list(listed(recruiter_client, "?search=KAMAU")) == [str(with_wanjiru.pk)]
    assert list(listed(recruiter_client, "?search=backend")) == [str(with_otieno.pk)]
    assert listed(recruiter_client, "?search=nobody") == {}


def test_the_list_search_does_not_match_every_conversation_on_my_own_name():
    recruiter = factories.RecruiterFactory(first_name="Zawadi", last_name="Chebet", email="zawadi@example.com")
    recruiter_client = client_for(recruiter)
    direct(recruiter, factories.SeekerFactory(first_name="Achieng", last_name="Otieno"))
    direct(recruiter, factories.SeekerFactory(first_name="Baraka", last_name="Mwangi"))

    assert listed(recruiter_client, f"?search={recruiter.last_name}") == {}
    assert listed(recruiter_client, f"?search={recruiter.email}") == {}


# --- unread counts -----------------------------------------------------------------------------
def test_unread_counts_per_conversation(recruiter_client, recruiter, seeker_client, seeker, conversation):
    quiet = direct(recruiter, factories.SeekerFactory())
    for text in ("one", "two", "three"):
        sent(recruiter_client, conversation, text)
    sent(recruiter_client, quiet, "someone else")

    assert listed(seeker_client)[str(conversation.pk)]["unread_count"] == 3
    # Own messages never count.
    mine = listed(recruiter_client)
    assert mine[str(conversation.pk)]["unread_count"] == 0
    assert mine[str(quiet.pk)]["unread_count"] == 0

    response = seeker_client.post(f"{conversation_url(conversation)}mark-as-read/")
    assert response.status_code == 200
    assert listed(seeker_client)[str(conversation.pk)]["unread_count"] == 0

    sent(seeker_client, conversation, "my reply")
    assert listed(seeker_client)[str(conversation.pk)]["unread_count"] == 0
    assert listed(recruiter_client)[str(conversation.pk)]["unread_count"] == 1

    latest = sent(recruiter_client, conversation, "four")
    assert listed(seeker_client)[str(conversation.pk)]["unread_count"] == 1
    # A deleted message is no longer waiting to be read.
    recruiter_client.delete(message_url(conversation, latest["id"]))
    assert listed(seeker_client)[str(conversation.pk)]["unread_count"] == 0


def test_the_list_shows_newest_activity_first(recruiter_client, recruiter, conversation):
    later = direct(recruiter, factories.SeekerFactory())
    sent(recruiter_client, later, "first")
    sent(recruiter_client, conversation, "second")

    assert list(listed(recruiter_client)) == [str(conversation.pk), str(later.pk)]


def test_mark_as_read_stores_the_read_position(recruiter_client, seeker_client, seeker, conversation):
    sent(recruiter_client, conversation, "hello")

    response = seeker_client.post(f"{conversation_url(conversation)}mark-as-read/")

    assert response.status_code == 200
    participant = Participant.objects.get(conversation=conversation, user=seeker)
    assert participant.last_read_at is not None
    shown = seeker_client.get(conversation_url(conversation)).data
    [me] = [p for p in shown["participants"] if p["user_id"] == str(seeker.pk)]
    assert me["last_read_at"] is not None


@pytest.mark.django_db(transaction=True)
def test_mark_as_read_tells_the_others(listener):
    recruiter, seeker = factories.RecruiterFactory(), factories.SeekerFactory()
    conversation = direct(recruiter, seeker)
    sent(client_for(recruiter), conversation, "hello")
    listener.subscribe(groups.user_group(recruiter.pk), groups.user_group(seeker.pk))

    response = client_for(seeker).post(f"{conversation_url(conversation)}mark-as-read/")

    assert response.status_code == 200
    received = [(group, frame(envelope)) for group, envelope in listener.received()]
    assert [group for group, _ in received] == [groups.user_group(recruiter.pk)]
    pushed = received[0][1]
    assert pushed["type"] == "messages_read"
    assert pushed["conversation_id"] == str(conversation.pk)
    assert pushed["user_id"] == str(seeker.pk)
    assert pushed["up_to"] == response.data["up_to"]
    assert pushed["timestamp"]


# --- deleting ----------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_deleting_a_message_tells_the_others_and_shows_it_deleted(listener):
    recruiter, seeker = factories.RecruiterFactory(), factories.SeekerFactory()
    conversation = direct(recruiter, seeker)
    message = sent(client_for(recruiter), conversation, "Oops, wrong candidate")
    listener.subscribe(groups.user_group(recruiter.pk), groups.user_group(seeker.pk))

    response = client_for(recruiter).delete(message_url(conversation, message["id"]))

    assert response.status_code == 204
    received = [(group, frame(envelope)) for group, envelope in listener.received()]
    assert [group for group, _ in received] == [groups.user_group(seeker.pk)]
    pushed = received[0][1]
    assert pushed["type"] == "message_deleted"
    assert pushed["conversation_id"] == str(conversation.pk)
    assert pushed["message_id"] == message["id"]

    [shown] = page(client_for(seeker), messages_url(conversation))["results"]
    assert shown["id"] == message["id"]
    assert shown["deleted"] is True
    assert shown["content"] == ""


def test_a_deleted_message_is_not_replayed_or_listed_with_its_text(
    recruiter_client, seeker_client, seeker, conversation
):
    message = sent(recruiter_client, conversation, "Salary offer: 90k, keep it private")

    assert recruiter_client.delete(message_url(conversation, message["id"])).status_code == 204

    listed_events = seeker_client.get("/api/notifications/", {"type": "new_message"}).data["results"]
    [event] = [e for e in listed_events if e["data"]["message"]["id"] == message["id"]]
    assert event["data"]["message"]["content"] == ""
    assert event["data"]["message"]["deleted"] is True
    # What a reconnecting socket replays.
    replayed = " ".join(e.frame_text for e in replay_after(seeker, 0))
    assert message["id"] in replayed
    assert "90k" not in replayed
    # Nor the stored notice of an unread message (the seeker had no socket).
    [notice] = stored_message_notices(seeker)
    assert "90k" not in notice.message


def test_deleting_twice_is_harmless(recruiter_client, conversation):
    message = sent(recruiter_client, conversation, "bye")

    assert recruiter_client.delete(message_url(conversation, message["id"])).status_code == 204
    assert recruiter_client.delete(message_url(conversation, message["id"])).status_code == 204
    assert recruiter_client.delete(message_url(conversation, uuid.uuid4())).status_code == 404


# --- the stored notice for recipients without a socket ----------------------------------------
def test_an_offline_recipient_gets_one_message_notice_per_conversation_until_read(
    recruiter_client, recruiter, seeker_client, seeker, conversation
):
    for text in ("Hi", "Are you there?", "We'd like to meet you"):
        sent(recruiter_client, conversation, text)

    [notice] = stored_message_notices(seeker)
    assert notice.title == f"New message from {recruiter.full_name}"
    assert notice.message == "Hi"
    assert notice.data["conversation_id"] == str(conversation.pk)
    assert stored_message_notices(recruiter) == []

    listed_notices = seeker_client.get("/api/notifications/", {"type": "message"}).data["results"]
    assert [n["id"] for n in listed_notices] == [notice.pk]

    seeker_client.post(f"{conversation_url(conversation)}mark-as-read/")
    sent(recruiter_client, conversation, "Following up")
    sent(recruiter_client, conversation, "Following up again")

    notices = stored_message_notices(seeker)
    assert len(notices) == 2
    assert notices[0].message == "Following up"


def test_replying_counts_as_reading_so_the_next_message_is_noticed_again(
    recruiter_client, seeker_client, seeker, conversation
):
    sent(recruiter_client, conversation, "Can you start in March?")
    sent(seeker_client, conversation, "Yes, March works")  # replying reads the conversation
    assert listed(seeker_client)[str(conversation.pk)]["unread_count"] == 0

    sent(recruiter_client, conversation, "Great, the contract is on its way")

    assert listed(seeker_client)[str(conversation.pk)]["unread_count"] == 1
    notices = stored_message_notices(seeker)
    assert [n.message for n in notices] == ["Great, the contract is on its way", "Can you start in March?"]


def test_message_notices_are_counted_per_conversation(recruiter_client, recruiter, seeker, conversation):
    other_recruiter = factories.RecruiterFactory()
    second = direct(other_recruiter, seeker)

    sent(recruiter_client, conversation, "From the first company")
    sent(client_for(other_recruiter), second, "From the second company")
    sent(recruiter_client, conversation, "And again")

    notices = stored_message_notices(seeker)
    assert sorted(n.data["conversation_id"] for n in notices) == sorted([str(conversation.pk), str(second.pk)])


def test_a_recipient_with_an_open_socket_gets_no_stored_notice(recruiter_client, seeker, conversation):
    with socket_open(seeker):
        sent(recruiter_client, conversation, "You are online: the socket shows it, no stored notice")

    assert stored_message_notices(seeker) == []
    assert Notification.objects.filter(recipient=seeker, event_type="new_message").count() == 1


def test_the_list_shows_which_participants_are_online(recruiter_client, recruiter, seeker, conversation):
    def online_of(user) -> bool:
        [item] = listed(recruiter_client).values()
        return next(p["online"] for p in item["participants"] if p["user_id"] == str(user.pk))

    assert online_of(seeker) is False
    with socket_open(seeker):
        assert online_of(seeker) is True
        shown = recruiter_client.get(conversation_url(conversation)).data
        assert {p["user_id"]: p["online"] for p in shown["participants"]} == {
            str(seeker.pk): True,
            str(recruiter.pk): False,
        }
    assert online_of(seeker) is False


# --- typing --------------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_typing_reaches_only_the_other_participants_and_is_never_stored(listener):
    recruiter, seeker, outsider = factories.RecruiterFactory(), factories.SeekerFactory(), factories.SeekerFactory()
    conversation = direct(recruiter, seeker)
    listener.subscribe(*(groups.user_group(u.pk) for u in (recruiter, seeker, outsider)))

    services.typing_publish(conversation_id=conversation.pk, user=seeker, is_typing=True)

    received = [(group, frame(envelope)) for group, envelope in listener.received()]
    assert [group for group, _ in received] == [groups.user_group(recruiter.pk)]
    pushed = received[0][1]
    assert pushed["type"] == "user_typing"
    assert pushed["conversation_id"] == str(conversation.pk)
    assert pushed["user_id"] == str(seeker.pk)
    assert pushed["is_typing"] is True
    assert not Notification.objects.exists()

    with pytest.raises(PermissionDenied):
        services.typing_publish(conversation_id=conversation.pk, user=outsider, is_typing=True)
    assert listener.received(timeout=0.3) == []


# --- flood limits ------------------------------------------------------------------------------
def test_the_per_user_send_limit_answers_429_with_retry_after(
    settings, monkeypatch, recruiter_client, seeker_client, conversation
):
    settings.KAZI_CHAT_MESSAGES_PER_MINUTE = 3
    # The limit counts per clock minute: a clock stopped 10 s into one, so the test never straddles two.
    stopped = (time.time() // 60) * 60 + 10
    monkeypatch.setattr(services, "time", SimpleNamespace(time=lambda: stopped))

    for n in range(3):
        assert send(recruiter_client, conversation, f"message {n}").status_code == 201
    refused = send(recruiter_client, conversation, "one too many")

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "wait" in refused.data["detail"].lower()
    assert Message.objects.count() == 3
    # The limit is the sender's own: the other participant still writes.
    assert send(seeker_client, conversation, "my turn").status_code == 201
    # Reading is not limited.
    assert seeker_client.get(messages_url(conversation)).status_code == 200


def test_the_chat_throttle_scope_limits_sending_over_rest(
    settings, monkeypatch, recruiter_client, seeker_client, conversation
):
    assert "chat" in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    # DRF reads its rates once at import: lower the `chat` rate where the throttle looks it up.
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "chat", "2/minute")

    assert send(recruiter_client, conversation, "one").status_code == 201
    assert send(recruiter_client, conversation, "two").status_code == 201
    refused = send(recruiter_client, conversation, "three")

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert Message.objects.count() == 2
    # Only sending is in the `chat` scope: reading and reading receipts are not.
    for _ in range(3):
        assert recruiter_client.get(messages_url(conversation)).status_code == 200
        assert recruiter_client.post(f"{conversation_url(conversation)}mark-as-read/").status_code == 200
    assert send(seeker_client, conversation, "the other side still writes").status_code == 201


def test_the_sender_copy_of_a_message_is_stored_read_and_still_sent(recruiter, seeker, recruiter_client, conversation):
    from notifications.models import Notification

    response = recruiter_client.post(
        f"/api/chat/conversations/{conversation.pk}/messages/", {"content": "Hello"}, format="json"
    )
    assert response.status_code == 201
    mine = Notification.objects.get(recipient=recruiter, event_type="new_message")
    theirs = Notification.objects.get(recipient=seeker, event_type="new_message")
    assert mine.is_read and not theirs.is_read  # the sender's other tabs get it; their badge does not grow
    assert recruiter_client.get("/api/notifications/unread-count/").json()["count"] == 0


# --- who may send, in the service itself ----------------------------------------------------------------
@pytest.mark.parametrize("with_file", [False, True], ids=["text", "image"])
def test_a_non_member_is_refused_by_the_service_and_nothing_is_written(conversation, outsider, with_file, settings):
    """Text goes through the one-statement path, an attachment through the other: both refuse a non-member
    before anything is written, the file included."""
    attachment = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png") if with_file else None
    kind = "image" if with_file else "text"

    with pytest.raises(services.NotInConversation):
        services.message_send(
            conversation=conversation, sender=outsider, content="let me in", message_type=kind, attachment=attachment
        )

    conversation.refresh_from_db()
    assert conversation.last_message_at is None
    assert not Message.objects.exists() and not Notification.objects.exists()
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_a_member_who_hid_the_conversation_may_send_unless_only_visible_members_may(conversation, seeker):
    """REST and other callers bring a hidden conversation back by sending; the socket (visible_only) does not."""
    services.conversation_leave(conversation=conversation, user=seeker)

    with pytest.raises(services.NotInConversation):
        services.message_send(conversation=conversation, sender=seeker, content="hello?", visible_only=True)
    assert not Message.objects.exists()

    message = services.message_send(conversation=conversation, sender=seeker, content="hello again")
    assert Message.objects.get().pk == message.pk
    assert Participant.objects.get(conversation=conversation, user=seeker).hidden_at is None


def test_with_a_pool_of_its_own_the_statements_are_prepared_and_behave_the_same(
    settings, monkeypatch, conversation, recruiter, seeker
):
    """A web process (KAZI_DB_POOL_SIZE > 0) prepares the hot statements on its connections: the second and later
    messages run the prepared ones, and a refused message still rolls back with them."""
    from django.db import connection

    settings.KAZI_DB_POOL_SIZE = 10
    settings.KAZI_CHAT_MESSAGES_PER_MINUTE = 3
    stopped = (time.time() // 60) * 60 + 10
    monkeypatch.setattr(services, "time", SimpleNamespace(time=lambda: stopped))
    services.conversation_mute(conversation=conversation, user=recruiter, muted=True)

    for n in range(3):
        services.message_send(conversation=conversation, sender=seeker, content=f"message {n}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        [(prepared,)] = cursor.fetchall()
    assert prepared == 3  # the message's statement, the mark and the events', each once
    # (A rollback makes psycopg deallocate them all: a refusal costs the next message a fresh prepare.)
    with pytest.raises(services.SendRateExceeded):
        services.message_send(conversation=conversation, sender=seeker, content="one too many")

    assert list(Message.objects.order_by("created_at").values_list("content", flat=True)) == [
        f"message {n}" for n in range(3)
    ]
    events = Notification.objects.filter(event_type="new_message").order_by("id")
    # The sender's copy is stored read; the recruiter muted the conversation: theirs is read and marked muted.
    assert sorted((e.recipient_id, e.is_read, e.data.get("muted", False)) for e in events) == sorted(
        (uid, True, uid == recruiter.pk) for _ in range(3) for uid in (seeker.pk, recruiter.pk)
    )
