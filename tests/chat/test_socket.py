"""Chat over ws/notifications/ (chat/socket.py): `message` and `typing` frames run the same services as REST."""

import time
import uuid
from types import SimpleNamespace

import pytest
from channels.db import database_sync_to_async

from chat import services, signals, typing_state
from chat.models import Message
from chat.services import conversation_start_direct
from notifications.models import Notification
from tests import factories
from tests.notifications.ws_helpers import connect, receive, receive_kind, send

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("_close_hub")]


@pytest.fixture
def pair(transactional_db):
    seeker = factories.SeekerFactory()
    recruiter = factories.RecruiterFactory()
    conversation, _ = conversation_start_direct(initiator=recruiter, other=seeker)
    return seeker, recruiter, conversation


async def test_message_frame_reaches_both_sides_and_is_stored(pair):
    seeker, recruiter, conversation = pair
    seeker_socket, _ = await connect(seeker)
    recruiter_socket, _ = await connect(recruiter)
    await send(
        seeker_socket,
        {
            "type": "message",
            "conversation_id": str(conversation.pk),
            "content": "Hello <script>alert(1)</script><b>there</b>",
        },
    )
    for socket in (recruiter_socket, seeker_socket):
        event = await receive_kind(socket, "new_message")
        assert event["type"] == "new_message"
        assert event["conversation_id"] == str(conversation.pk)
        assert event["message"]["sender_id"] == str(seeker.pk)
        assert "<script" not in event["message"]["content"]
        assert "<b>there</b>" in event["message"]["content"]
    stored = await database_sync_to_async(lambda: list(Message.objects.values_list("content", flat=True)))()
    assert len(stored) == 1 and "<script" not in stored[0]
    await seeker_socket.disconnect()
    await recruiter_socket.disconnect()


# Empty content too: a stranger hears of no such conversation before anything about the content.
@pytest.mark.parametrize("content", ["hi", "<b></b>"])
async def test_message_to_a_foreign_conversation_is_an_error(pair, content):
    _, _, conversation = pair
    stranger = await database_sync_to_async(factories.SeekerFactory)()
    socket, _ = await connect(stranger)
    await send(socket, {"type": "message", "conversation_id": str(conversation.pk), "content": content})
    error = await receive(socket)
    assert error == {**error, "type": "error", "message": "No such conversation."}
    await socket.disconnect()


async def test_too_long_message_is_an_error_and_the_socket_stays_open(pair, settings):
    settings.KAZI_CHAT_MAX_MESSAGE_LENGTH = 10
    seeker, _, conversation = pair
    socket, _ = await connect(seeker)
    await send(socket, {"type": "message", "conversation_id": str(conversation.pk), "content": "x" * 11})
    error = await receive(socket)
    assert error["type"] == "error" and "at most 10 characters" in error["message"]
    await send(socket, {"type": "ping"})
    assert (await receive(socket))["type"] == "pong"
    await socket.disconnect()


async def test_typing_is_coalesced_goes_only_to_others_and_expires(pair, monkeypatch):
    # tests/chat/test_typing_state.py checks the 5 s expiry on a fake clock; this checks that the socket sends
    # it, and need not wait 5 s for that.
    monkeypatch.setattr(typing_state, "EXPIRE_SECONDS", 0.5)
    seeker, recruiter, conversation = pair
    typer, _ = await connect(seeker)
    watcher, _ = await connect(recruiter)
    await receive_kind(typer, "presence")  # the recruiter came online
    for _ in range(3):
        await send(typer, {"type": "typing", "conversation_id": str(conversation.pk), "is_typing": True})
    started = await receive_kind(watcher, "user_typing")
    assert started["type"] == "user_typing"
    assert started["user_id"] == str(seeker.pk) and started["is_typing"] is True
    assert await typer.receive_nothing(timeout=0.3), "the typer does not hear itself"
    stopped = await receive_kind(watcher, "user_typing", timeout=8)  # nothing refreshed it: it expires
    assert stopped["type"] == "user_typing" and stopped["is_typing"] is False
    await typer.disconnect()
    await watcher.disconnect()


async def test_typing_in_a_foreign_conversation_is_an_error(pair):
    _, _, conversation = pair
    stranger = await database_sync_to_async(factories.SeekerFactory)()
    socket, _ = await connect(stranger)
    await send(socket, {"type": "typing", "conversation_id": str(conversation.pk), "is_typing": True})
    assert (await receive(socket))["message"] == "No such conversation."
    await socket.disconnect()


async def test_typing_stops_for_the_others_when_the_typer_closes_the_socket(pair):
    seeker, recruiter, conversation = pair
    typer, _ = await connect(seeker)
    watcher, _ = await connect(recruiter)
    await send(typer, {"type": "typing", "conversation_id": str(conversation.pk), "is_typing": True})
    assert (await receive_kind(watcher, "user_typing"))["is_typing"] is True
    await typer.disconnect()
    stopped = await receive_kind(watcher, "user_typing", timeout=2)  # at once, not after the 5 s expiry
    assert stopped["user_id"] == str(seeker.pk) and stopped["is_typing"] is False
    await watcher.disconnect()


async def test_a_bad_typing_or_message_frame_names_the_missing_fields(pair):
    seeker, _, conversation = pair
    socket, _ = await connect(seeker)
    await send(socket, {"type": "typing", "conversation_id": "not-a-uuid"})
    assert (await receive(socket))["message"] == "Missing field: conversation_id (and is_typing, true or false)"
    await send(socket, {"type": "typing", "conversation_id": str(conversation.pk), "is_typing": "yes"})
    assert (await receive(socket))["message"] == "Missing field: conversation_id (and is_typing, true or false)"
    await send(socket, {"type": "message", "conversation_id": str(conversation.pk), "content": 42})
    assert (await receive(socket))["message"] == "Missing field: conversation_id and content (text)"
    await socket.disconnect()


# --- the one-statement send (services._touch_and_insert): who may send, what a refusal leaves behind -------
def _state(conversation):
    """What a message changes besides itself: the conversation's time, each participant's hidden/read state."""
    from chat.models import Conversation, Participant

    conversation = Conversation.objects.get(pk=conversation.pk)
    participants = Participant.objects.filter(conversation=conversation).order_by("user_id")
    return (
        conversation.last_message_at,
        [(p.user_id, p.hidden_at, p.last_read_at, p.unread_notified) for p in participants],
        Message.objects.count(),
        Notification.objects.count(),
    )


async def test_a_sender_who_left_the_conversation_hears_of_no_such_conversation_and_nothing_moves(pair):
    seeker, _, conversation = pair
    await database_sync_to_async(services.conversation_leave)(conversation=conversation, user=seeker)
    before = await database_sync_to_async(_state)(conversation)
    socket, _ = await connect(seeker)

    await send(socket, {"type": "message", "conversation_id": str(conversation.pk), "content": "back again"})

    error = await receive(socket)
    assert error == {**error, "type": "error", "message": "No such conversation."}
    # Not written, and the conversation is not shown again to the one who hid it (a message would).
    assert await database_sync_to_async(_state)(conversation) == before
    await socket.disconnect()


async def test_a_stranger_or_an_unknown_conversation_writes_nothing(pair):
    _, _, conversation = pair
    stranger = await database_sync_to_async(factories.SeekerFactory)()
    before = await database_sync_to_async(_state)(conversation)
    socket, _ = await connect(stranger)

    for conversation_id in (str(conversation.pk), str(uuid.uuid4())):
        await send(socket, {"type": "message", "conversation_id": conversation_id, "content": "hi"})
        assert (await receive(socket))["message"] == "No such conversation."

    assert await database_sync_to_async(_state)(conversation) == before
    await socket.disconnect()


async def test_a_message_over_the_send_limit_is_rolled_back_with_the_conversation_state(pair, settings, monkeypatch):
    settings.KAZI_CHAT_MESSAGES_PER_MINUTE = 1
    # The limit counts per clock minute: a clock stopped 10 s into one, so the test never straddles two.
    stopped = (time.time() // 60) * 60 + 10
    monkeypatch.setattr(services, "time", SimpleNamespace(time=lambda: stopped))
    seeker, recruiter, conversation = pair
    socket, _ = await connect(seeker)
    await send(socket, {"type": "message", "conversation_id": str(conversation.pk), "content": "first"})
    await receive_kind(socket, "new_message")
    before = await database_sync_to_async(_state)(conversation)

    await send(socket, {"type": "message", "conversation_id": str(conversation.pk), "content": "second"})

    error = await receive_kind(socket, "error")
    assert "Too many messages" in error["message"]
    assert await database_sync_to_async(_state)(conversation) == before
    await socket.disconnect()


async def test_messages_reach_the_other_side_once_each_in_the_order_sent_with_growing_ids(pair):
    seeker, recruiter, conversation = pair
    seeker_socket, _ = await connect(seeker)
    recruiter_socket, _ = await connect(recruiter)
    texts = [f"message {n}" for n in range(12)]

    for text in texts:
        await send(seeker_socket, {"type": "message", "conversation_id": str(conversation.pk), "content": text})

    for socket in (recruiter_socket, seeker_socket):
        events = [await receive_kind(socket, "new_message") for _ in texts]
        assert [event["message"]["content"] for event in events] == texts
        assert [event["id"] for event in events] == sorted({event["id"] for event in events})
        assert await socket.receive_nothing(timeout=0.3)

    def stored():
        messages = list(Message.objects.order_by("created_at").values_list("content", "search_vector"))
        events = Notification.objects.filter(event_type="new_message").order_by("id")
        return messages, [(event.recipient_id, event.is_read, event.data["message"]["content"]) for event in events]

    messages, events = await database_sync_to_async(stored)()
    assert [content for content, _ in messages] == texts
    assert all(vector for _, vector in messages)  # indexed for search in the same INSERT
    # One event per participant and message; the sender's own copy stored read.
    assert sorted(events) == sorted(
        (uid, uid == seeker.pk, text) for text in texts for uid in (seeker.pk, recruiter.pk)
    )
    await seeker_socket.disconnect()
    await recruiter_socket.disconnect()


# --- chat/socket_send.py: the same rows and frames as message_send, in fewer round trips ----------------------
async def test_a_recipient_who_muted_the_conversation_gets_the_frame_marked_muted_and_stored_read(pair):
    seeker, recruiter, conversation = pair
    await database_sync_to_async(services.conversation_mute)(conversation=conversation, user=recruiter, muted=True)
    seeker_socket, _ = await connect(seeker)
    recruiter_socket, _ = await connect(recruiter)

    await send(seeker_socket, {"type": "message", "conversation_id": str(conversation.pk), "content": "quiet one"})

    to_recruiter = await receive_kind(recruiter_socket, "new_message")
    to_seeker = await receive_kind(seeker_socket, "new_message")
    assert to_recruiter["muted"] is True and "muted" not in to_seeker
    assert to_recruiter["message"] == to_seeker["message"]

    def stored():
        events = Notification.objects.filter(event_type="new_message")
        return sorted((event.recipient_id, event.is_read, event.data.get("muted", False)) for event in events)

    # Both copies read: the sender's own, and the muted recipient's (no bell).
    assert await database_sync_to_async(stored)() == sorted([(seeker.pk, True, False), (recruiter.pk, True, True)])
    await seeker_socket.disconnect()
    await recruiter_socket.disconnect()


async def test_an_offline_recipient_gets_one_unread_notice_per_conversation_until_they_read_it(pair):
    seeker, recruiter, conversation = pair
    seeker_socket, _ = await connect(seeker)
    for text in ("first", "second"):
        await send(seeker_socket, {"type": "message", "conversation_id": str(conversation.pk), "content": text})
        await receive_kind(seeker_socket, "new_message")

    def notices():
        return [
            (event.recipient_id, event.title, event.message, event.data, event.is_read)
            for event in Notification.objects.filter(notification_type="message")
        ]

    [(recipient, title, text, data, is_read)] = await database_sync_to_async(notices)()
    first = await database_sync_to_async(Message.objects.get)(content="first")
    assert (recipient, title, text, is_read) == (recruiter.pk, f"New message from {seeker.full_name}", "first", False)
    assert data == {"conversation_id": str(conversation.pk), "sender_id": str(seeker.pk), "message_id": str(first.pk)}
    # Online, the recipient gets the message and no notice.
    recruiter_socket, _ = await connect(recruiter)
    await send(seeker_socket, {"type": "message", "conversation_id": str(conversation.pk), "content": "third"})
    assert (await receive_kind(recruiter_socket, "new_message"))["message"]["content"] == "third"
    assert len(await database_sync_to_async(notices)()) == 1
    await seeker_socket.disconnect()
    await recruiter_socket.disconnect()


async def test_another_receiver_of_message_sent_hears_a_socket_message(pair):
    seeker, recruiter, conversation = pair
    heard = []

    def receiver(sender, message, participant_ids, **kwargs):
        heard.append((message.content, sorted(participant_ids)))

    signals.message_sent.connect(receiver, dispatch_uid="tests.chat.another_receiver")
    try:
        recruiter_socket, _ = await connect(recruiter)
        seeker_socket, _ = await connect(seeker)
        await send(seeker_socket, {"type": "message", "conversation_id": str(conversation.pk), "content": "heard"})
        assert (await receive_kind(recruiter_socket, "new_message"))["message"]["content"] == "heard"
    finally:
        signals.message_sent.disconnect(dispatch_uid="tests.chat.another_receiver")
    assert heard == [("heard", sorted([seeker.pk, recruiter.pk]))]
    await seeker_socket.disconnect()
    await recruiter_socket.disconnect()


async def test_a_members_message_with_no_visible_text_is_refused_for_its_content(pair):
    seeker, _, conversation = pair
    member, _ = await connect(seeker)
    await send(member, {"type": "message", "conversation_id": str(conversation.pk), "content": "<b></b>"})
    assert "needs some text" in (await receive_kind(member, "error"))["message"]
    await member.disconnect()
