"""Chat over ws/notifications/ (chat/socket.py): `message` and `typing` frames run the same services as REST."""

import pytest
from channels.db import database_sync_to_async

from chat import typing_state
from chat.models import Message
from chat.services import conversation_start_direct
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


async def test_message_to_a_foreign_conversation_is_an_error(pair):
    _, _, conversation = pair
    stranger = await database_sync_to_async(factories.SeekerFactory)()
    socket, _ = await connect(stranger)
    await send(socket, {"type": "message", "conversation_id": str(conversation.pk), "content": "hi"})
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
