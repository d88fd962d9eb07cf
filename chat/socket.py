"""Chat over ws/notifications/: the `message` and `typing` frames, and who hears of a user's presence.

`register()` (from ChatConfig.ready()) hands these to the notifications socket, which knows no chat.
A `message` runs the same service as the REST POST; `typing` is coalesced per socket (typing_state.py)
and stops by itself, or when the socket closes.
"""

import asyncio
import time
import uuid

from django.core.exceptions import PermissionDenied, ValidationError

from chat import selectors, services, socket_send
from chat.typing_state import TypingState
from notifications import presence
from notifications.sockets import frame_handlers
from notifications.sockets.base import db

_TYPING = "chat.typing"


class _Typing:
    """One socket's typing: what it signalled, and the task that expires what it stopped refreshing."""

    def __init__(self) -> None:
        self.state = TypingState(time.monotonic)
        self.expiry: asyncio.Task | None = None


async def on_typing(socket, message: dict) -> None:
    conversation_id = _uuid_text(message.get("conversation_id"))
    if conversation_id is None or not isinstance(message.get("is_typing", True), bool):
        await socket.error("Missing field: conversation_id (and is_typing, true or false)")
        return
    is_typing = message.get("is_typing", True)
    typing = socket.state(_TYPING, _Typing)
    publish = typing.state.signal(conversation_id, is_typing)
    if publish and not await _publish_typing(socket, conversation_id, is_typing):
        typing.state.signal(conversation_id, False)
        await socket.error("No such conversation.")
        return
    if typing.state.active() and (typing.expiry is None or typing.expiry.done()):
        typing.expiry = asyncio.ensure_future(_expire_typing(socket, typing))


async def _publish_typing(socket, conversation_id: str, is_typing: bool) -> bool:
    try:
        await db(services.typing_publish)(conversation_id=conversation_id, user=socket.user, is_typing=is_typing)
    except PermissionDenied:
        return False
    return True


async def _expire_typing(socket, typing: _Typing) -> None:
    # Typing stops by itself when the client stops refreshing it.
    while typing.state.active():
        await asyncio.sleep(1)
        for conversation_id in typing.state.expired():
            await _publish_typing(socket, conversation_id, False)


async def stop_typing(socket) -> None:
    """The socket closed: whatever it was typing in stops for the others."""
    typing = socket.state(_TYPING)
    if typing is None:
        return
    if typing.expiry is not None:
        typing.expiry.cancel()
    for conversation_id in typing.state.active():
        await _publish_typing(socket, conversation_id, False)


async def on_message(socket, message: dict) -> None:
    conversation_id = _uuid_text(message.get("conversation_id"))
    content = message.get("content")
    if conversation_id is None or not isinstance(content, str):
        await socket.error("Missing field: conversation_id and content (text)")
        return
    error = await db(_send_message)(socket.user, conversation_id, content)
    if error:
        await socket.error(error)


def _send_message(user, conversation_id: str, content: str) -> str | None:
    """What the REST POST stores and publishes (socket_send: in fewer round trips); the sender's sockets get the
    message as `new_message`.

    Who may send is checked by the statement that stores the message (a sender who left the conversation, or
    never was in it, hears of no such conversation, as over REST): no query of its own first."""
    try:
        socket_send.send_text(conversation_id=conversation_id, sender=user, content=content)
    except services.NotInConversation:
        return "No such conversation."
    except services.SendRateExceeded as exc:
        return str(exc)
    except ValidationError as exc:
        return "; ".join(exc.messages)
    except PermissionDenied as exc:
        return str(exc)
    return None


def _uuid_text(value) -> str | None:
    try:
        return str(uuid.UUID(value)) if isinstance(value, str) else None
    except ValueError:
        return None


def register() -> None:
    frame_handlers.register("message", on_message)
    frame_handlers.register("typing", on_typing)
    frame_handlers.register_close_hook(stop_typing)
    # Conversation partners are the audience of a user's online/offline presence.
    presence.register_audience(selectors.conversation_partners_of)
