"""Group membership: members add and remove people, anyone leaves; a newcomer reads from when they came, and a
removed member gets nothing new, neither over REST nor on their socket."""

import pytest
from channels.db import database_sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile

from chat import services
from chat.models import Participant
from notifications import groups
from notifications.models import Notification
from tests import factories
from tests.chat.helpers import conversation_url, listed, messages_url, png_bytes, send, sent
from tests.conftest import client_for
from tests.notifications.redis_listener import frame
from tests.notifications.ws_helpers import connect, receive, receive_kind
from tests.notifications.ws_helpers import send as ws_send

pytestmark = pytest.mark.django_db


def participants_url(conversation, user_id=None) -> str:
    return f"{conversation_url(conversation)}participants/" + (f"{user_id}/" if user_id is not None else "")


def member_ids(data: dict) -> set[str]:
    return {p["user_id"] for p in data["participants"]}


@pytest.fixture
def team(transactional_db):
    """A recruiter's group with two seekers, and a third seeker outside it."""
    recruiter = factories.RecruiterFactory()
    first, second, newcomer = factories.SeekerFactory(), factories.SeekerFactory(), factories.SeekerFactory()
    group = services.conversation_start_group(initiator=recruiter, others=[first, second], title="Panel")
    return recruiter, first, second, newcomer, group


def test_a_member_adds_someone_who_reads_only_from_when_they_came(team):
    recruiter, first, _, newcomer, group = team
    sent(client_for(first), group, "Said before the newcomer came")

    response = client_for(recruiter).post(participants_url(group), {"user_id": newcomer.pk}, format="json")

    assert response.status_code == 201, response.content
    assert str(newcomer.pk) in member_ids(response.data)
    newcomer_client = client_for(newcomer)
    assert listed(newcomer_client)[str(group.pk)]["unread_count"] == 0
    assert newcomer_client.get(messages_url(group)).data["results"] == []
    assert newcomer_client.get("/api/chat/search/", {"q": "newcomer"}).data["results"] == []
    sent(client_for(first), group, "Welcome aboard")
    shown = newcomer_client.get(messages_url(group)).data["results"]
    assert [m["content"] for m in shown] == ["Welcome aboard"]
    assert listed(newcomer_client)[str(group.pk)]["unread_count"] == 1
    assert sent(newcomer_client, group, "Thanks!")["content"] == "Thanks!"


def test_a_newcomer_cannot_open_an_attachment_sent_before_they_came(team):
    recruiter, first, _, newcomer, group = team
    upload = SimpleUploadedFile("old.png", png_bytes(), content_type="image/png")
    old = client_for(first).post(
        messages_url(group), {"content": "", "message_type": "image", "attachment": upload}, format="multipart"
    )
    assert old.status_code == 201, old.content
    services.participant_add(conversation=group, actor=recruiter, user=newcomer)

    assert client_for(newcomer).get(old.data["attachment"]["url"]).status_code == 404
    assert client_for(recruiter).get(old.data["attachment"]["url"]).status_code == 200


def test_every_member_and_the_newcomer_hear_of_an_addition(team, listener):
    recruiter, first, second, newcomer, group = team
    listener.subscribe(*(groups.user_group(u.pk) for u in (recruiter, first, second, newcomer)))

    assert client_for(first).post(participants_url(group), {"user_id": newcomer.pk}, format="json").status_code == 403
    assert (
        client_for(recruiter).post(participants_url(group), {"user_id": newcomer.pk}, format="json").status_code == 201
    )

    received = [(group_name, frame(envelope)) for group_name, envelope in listener.received()]
    assert sorted(g for g, _ in received) == sorted(
        groups.user_group(u.pk) for u in (recruiter, first, second, newcomer)
    )
    for _, pushed in received:
        assert pushed["type"] == "participant_added"
        assert pushed["conversation_id"] == str(group.pk)
        assert pushed["user_id"] == str(newcomer.pk)
        assert pushed["added_by"] == str(recruiter.pk)
        assert pushed["id"]  # stored: a socket that was away gets it on replay
    assert not Notification.objects.get(recipient=newcomer, event_type="participant_added").is_read


def test_a_seeker_cannot_add_another_seeker_and_members_are_not_added_twice(team):
    recruiter, first, second, newcomer, group = team

    by_seeker = client_for(first).post(participants_url(group), {"user_id": newcomer.pk}, format="json")
    twice = client_for(recruiter).post(participants_url(group), {"user_id": second.pk}, format="json")
    nobody = client_for(recruiter).post(participants_url(group), {"user_id": 10**9}, format="json")

    assert by_seeker.status_code == 403
    assert "Recruiters talk with job seekers" in by_seeker.data["detail"]
    assert twice.status_code == 400 and twice.data == {"user_id": ["Already a member of this conversation."]}
    assert nobody.status_code == 400 and nobody.data == {"user_id": ["No such user."]}


def test_a_recruiter_adds_a_colleague_of_their_company(team):
    recruiter, _, _, _, group = team
    colleague = factories.RecruiterFactory(company=recruiter.company)

    response = client_for(recruiter).post(participants_url(group), {"user_id": colleague.pk}, format="json")

    assert response.status_code == 201
    assert str(group.pk) in listed(client_for(colleague))


def test_only_members_see_or_change_the_group(team):
    recruiter, first, _, newcomer, group = team
    outsider = client_for(newcomer)

    assert outsider.get(conversation_url(group)).status_code == 404
    assert outsider.get(messages_url(group)).status_code == 404
    assert outsider.post(participants_url(group), {"user_id": newcomer.pk}, format="json").status_code == 404
    assert outsider.delete(participants_url(group, first.pk)).status_code == 404
    assert str(group.pk) not in listed(outsider)


def test_a_direct_conversation_cannot_change_members(recruiter, seeker, conversation):
    third = factories.SeekerFactory()
    client = client_for(recruiter)

    added = client.post(participants_url(conversation), {"user_id": third.pk}, format="json")
    removed = client.delete(participants_url(conversation, seeker.pk))

    assert added.status_code == 400 and removed.status_code == 400
    assert added.data["detail"] == "The members of a direct conversation cannot change; start a group instead."
    assert Participant.objects.filter(conversation=conversation).count() == 2


def test_a_removed_member_loses_the_conversation_and_cannot_post(team):
    recruiter, first, second, _, group = team
    sent(client_for(first), group, "Before")

    response = client_for(recruiter).delete(participants_url(group, first.pk))

    assert response.status_code == 200
    assert member_ids(response.data) == {str(recruiter.pk), str(second.pk)}
    removed = client_for(first)
    assert str(group.pk) not in listed(removed)
    assert removed.get(conversation_url(group)).status_code == 404
    assert removed.get(messages_url(group)).status_code == 404
    assert send(removed, group, "Still here?").status_code == 404
    assert removed.get("/api/chat/search/", {"q": "Before"}).data["results"] == []
    assert client_for(recruiter).delete(participants_url(group, first.pk)).status_code == 404


def test_leaving_tells_the_others_and_is_a_204(team, listener):
    recruiter, first, second, _, group = team
    listener.subscribe(*(groups.user_group(u.pk) for u in (recruiter, first, second)))

    response = client_for(second).delete(participants_url(group, second.pk))

    assert response.status_code == 204
    received = [(g, frame(envelope)) for g, envelope in listener.received()]
    assert sorted(g for g, _ in received) == sorted(groups.user_group(u.pk) for u in (recruiter, first, second))
    for _, pushed in received:
        assert pushed["type"] == "participant_removed"
        assert pushed["user_id"] == str(second.pk) and pushed["left"] is True
    assert str(group.pk) not in listed(client_for(second))


@pytest.mark.usefixtures("_close_hub")
async def test_a_removed_member_gets_nothing_new_on_their_socket(team):
    recruiter, first, second, _, group = team
    socket, _ = await connect(first)

    await database_sync_to_async(services.participant_remove)(conversation=group, actor=recruiter, user=first)
    told = await receive_kind(socket, "participant_removed")
    assert told["user_id"] == str(first.pk) and told["removed_by"] == str(recruiter.pk)

    await database_sync_to_async(services.message_send)(conversation=group, sender=second, content="After you left")
    await database_sync_to_async(services.typing_publish)(conversation_id=group.pk, user=second, is_typing=True)
    assert await socket.receive_nothing(timeout=1)
    await ws_send(socket, {"type": "message", "conversation_id": str(group.pk), "content": "Let me back in"})
    error = await receive(socket)
    assert error["type"] == "error" and error["message"] == "No such conversation."
    await socket.disconnect()
