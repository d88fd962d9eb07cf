"""What every socket shares (notifications/sockets/): authentication and the frame gate, on ws/notifications/."""

import json
from datetime import timedelta

import jwt
import pytest
from channels.db import database_sync_to_async
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from notifications.sockets.frame_rate import FrameRate, Rate
from tests.notifications.ws_helpers import connect, receive, send

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("_close_hub")]


async def closed_with(communicator) -> int:
    output = await communicator.receive_output(timeout=3)
    while output["type"] != "websocket.close":
        output = await communicator.receive_output(timeout=3)
    return output.get("code")


# --- authentication -----------------------------------------------------------------------
async def test_no_credentials_closes_4001():
    communicator, first = await connect()
    assert first == {"type": "websocket.close", "code": 4001}


async def test_a_string_that_is_not_a_jwt_closes_4003():
    communicator, first = await connect(token="not-a-jwt")
    assert first["code"] == 4003


async def test_bad_signature_closes_4001(seeker):
    claims = AccessToken.for_user(seeker).payload
    forged = jwt.encode(claims, "not-the-server-key-but-long-enough-for-hs256", algorithm="HS256")
    communicator, first = await connect(token=forged)
    assert first["code"] == 4001


async def test_refresh_token_closes_4001(seeker):
    # Issuing a refresh token records it (the blacklist's outstanding tokens): a database write.
    refresh = await database_sync_to_async(RefreshToken.for_user)(seeker)
    communicator, first = await connect(token=str(refresh))
    assert first["code"] == 4001


async def test_expired_token_closes_4004(seeker):
    token = AccessToken.for_user(seeker)
    token.set_exp(from_time=timezone.now() - timedelta(hours=1), lifetime=timedelta(minutes=1))
    communicator, first = await connect(token=str(token))
    assert first["code"] == 4004


async def test_inactive_user_closes_4001(seeker):
    token = str(AccessToken.for_user(seeker))
    seeker.is_active = False
    await database_sync_to_async(seeker.save)()
    communicator, first = await connect(token=token)
    assert first["code"] == 4001


async def test_session_cookie_authenticates(seeker):
    @database_sync_to_async
    def login_session():
        session = SessionStore()
        session["_auth_user_id"] = str(seeker.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = seeker.get_session_auth_hash()
        session.create()
        return session.session_key

    key = await login_session()
    communicator, first = await connect(headers=[(b"cookie", f"sessionid={key}".encode())])
    message = json.loads(first["text"])
    assert message["type"] == "connection_established"
    assert message["user_id"] == str(seeker.pk)
    await communicator.disconnect()


# --- the inbound gate ----------------------------------------------------------------------
async def test_ping_gets_pong(seeker):
    communicator, _ = await connect(seeker)
    await send(communicator, {"type": "ping", "timestamp": "2026-01-01T00:00:00Z"})
    assert (await receive(communicator))["type"] == "pong"
    await communicator.disconnect()


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        ("{not json", "Invalid JSON format"),
        ("[1, 2]", "A message must be a JSON object with a `type`."),
        ('"ping"', "A message must be a JSON object with a `type`."),
        ('{"no_type": 1}', "Missing field: type"),
        ('{"type": ""}', "Missing field: type"),
        ('{"type": "dance"}', "Unknown message type: dance"),
        ('{"type": 5}', "Unknown message type: 5"),
    ],
)
async def test_bad_input_gets_an_error_and_the_socket_stays_open(seeker, frame, expected):
    communicator, _ = await connect(seeker)
    await send(communicator, frame)
    error = await receive(communicator)
    assert error == {"type": "error", "message": expected, "timestamp": error["timestamp"]}
    await send(communicator, {"type": "ping"})
    assert (await receive(communicator))["type"] == "pong"
    await communicator.disconnect()


async def test_an_unknown_type_is_echoed_at_most_200_characters_long(seeker):
    communicator, _ = await connect(seeker)
    await send(communicator, {"type": "x" * 500})
    error = await receive(communicator)
    assert error["message"] == ("Unknown message type: " + "x" * 500)[:200]
    await communicator.disconnect()


async def test_a_binary_frame_gets_an_error_and_the_socket_stays_open(seeker):
    communicator, _ = await connect(seeker)
    await communicator.send_to(bytes_data=b'{"type": "ping"}')
    assert (await receive(communicator))["message"] == "Binary frames are not supported; send JSON text."
    await send(communicator, {"type": "ping"})
    assert (await receive(communicator))["type"] == "pong"
    await communicator.disconnect()


async def test_oversized_frame_gets_an_error(seeker, settings):
    settings.KAZI_WS_MAX_FRAME_BYTES = 1024
    communicator, _ = await connect(seeker)
    await send(communicator, {"type": "ping", "padding": "x" * 2000})
    error = await receive(communicator)
    assert error["type"] == "error" and "too large" in error["message"]
    await send(communicator, {"type": "ping"})
    assert (await receive(communicator))["type"] == "pong"
    await communicator.disconnect()


async def test_flood_gets_an_error_then_a_close(seeker, settings):
    settings.KAZI_WS_MAX_FRAMES_PER_SECOND = 5
    communicator, _ = await connect(seeker)
    for _ in range(6):
        await send(communicator, {"type": "ping"})
    messages = [await receive(communicator) for _ in range(6)]
    assert [m["type"] for m in messages].count("pong") == 5
    assert any(m["type"] == "error" and "Too many messages" in m["message"] for m in messages)
    for _ in range(10):
        await send(communicator, {"type": "ping"})
    assert await closed_with(communicator) == 4029


async def test_the_fourth_oversized_frame_closes_1009_without_an_error(seeker, settings):
    settings.KAZI_WS_MAX_FRAME_BYTES = 1024
    communicator, _ = await connect(seeker)
    big = {"type": "ping", "padding": "x" * 2000}
    for _ in range(3):
        await send(communicator, big)
        assert (await receive(communicator))["message"] == "Frame too large: the limit is 1024 bytes."
    await send(communicator, big)
    assert await closed_with(communicator) == 1009


def test_the_frame_rate_warns_once_drops_then_floods():
    rate = FrameRate(2)
    seen = [rate.check(0.1 * i) for i in range(6)]
    assert seen == [Rate.OK, Rate.OK, Rate.WARN, Rate.DROP, Rate.FLOOD, Rate.FLOOD]
    assert rate.check(10.0) is Rate.OK, "a second later the window is empty again"
