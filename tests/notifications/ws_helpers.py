"""Helpers for consumer tests: a connected communicator and event publishing from a worker thread."""

import json

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from rest_framework_simplejwt.tokens import AccessToken

from config.asgi import application
from notifications.broadcaster import broadcaster


def token_for(user) -> str:
    return str(AccessToken.for_user(user))


async def connect(user=None, *, query: str = "", token: str | None = None, headers=None):
    """Open ws/notifications/ and return (communicator, first message)."""
    params = []
    if user is not None:
        params.append(f"token={token_for(user)}")
    elif token is not None:
        params.append(f"token={token}")
    if query:
        params.append(query)
    path = "/ws/notifications/" + ("?" + "&".join(params) if params else "")
    communicator = WebsocketCommunicator(application, path, headers=headers or [])
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    first = await communicator.receive_output(timeout=5)
    return communicator, first


async def receive(communicator, timeout: float = 3) -> dict:
    return json.loads(await communicator.receive_from(timeout=timeout))


async def send(communicator, message) -> None:
    await communicator.send_to(text_data=message if isinstance(message, str) else json.dumps(message))


@database_sync_to_async
def publish(**kwargs):
    """Publish in a committed transaction, as a request or a Celery task would."""
    with transaction.atomic():
        stored = broadcaster.publish(**kwargs)
    return [event.pk for event in stored]


def note(user, text: str = "hello", **extra) -> dict:
    return dict(
        user_ids=[user.pk], event_type="notification", notification_type="info", title=text, message=text, **extra
    )


async def receive_kind(communicator, kind: str, timeout: float = 3) -> dict:
    """The next message of this type; presence and other live frames racing with it are passed over."""
    while True:
        message = await receive(communicator, timeout)
        if message["type"] == kind:
            return message
