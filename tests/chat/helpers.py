"""Small builders shared by the chat tests: URLs, sending, real image bytes."""

import struct
import uuid
import zlib
from contextlib import contextmanager

import redis.asyncio
from asgiref.sync import async_to_sync
from django.conf import settings

from chat import services
from chat.models import Conversation
from notifications import presence

CONVERSATIONS = "/api/chat/conversations/"


def conversation_url(conversation) -> str:
    return f"{CONVERSATIONS}{conversation.pk}/"


def messages_url(conversation) -> str:
    return f"{conversation_url(conversation)}messages/"


def message_url(conversation, message_id) -> str:
    return f"{messages_url(conversation)}{message_id}/"


def send(client, conversation, content: str, **extra):
    """POST a text message over REST, as a browser would."""
    return client.post(messages_url(conversation), {"content": content, **extra}, format="json")


def sent(client, conversation, content: str) -> dict:
    response = send(client, conversation, content)
    assert response.status_code == 201, response.content
    return response.data


def direct(a, b) -> Conversation:
    conversation, _ = services.conversation_start_direct(initiator=a, other=b)
    return conversation


def listed(client, query: str = "") -> dict:
    """The caller's conversation list as {conversation id: item}."""
    response = client.get(CONVERSATIONS + query)
    assert response.status_code == 200, response.content
    return {item["id"]: item for item in response.data["results"]}


def png_bytes(width: int = 1, height: int = 1, padding: int = 0) -> bytes:
    """A valid PNG (one grey pixel per position), written by hand; `padding` adds a text chunk of that many bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    text = chunk(b"tEXt", b"Comment\x00" + b"x" * padding) if padding else b""
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + text + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    )


@contextmanager
def socket_open(user):
    """The user has a live socket, recorded in Redis exactly as a web process records it."""
    socket_id = f"test-{uuid.uuid4().hex}"

    async def record(action):
        client = redis.asyncio.Redis.from_url(settings.REDIS_URL)
        try:
            await action(client, user.pk, socket_id)
        finally:
            await client.aclose()

    async_to_sync(record)(presence.socket_opened)
    try:
        yield
    finally:
        async_to_sync(record)(presence.socket_closed)
