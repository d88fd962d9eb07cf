import asyncio
import json

import pytest
import websockets
from django.conf import settings
from rest_framework_simplejwt.tokens import AccessToken

from tests.e2e.servers import CeleryWorker, Daphne, server_env

pytestmark = pytest.mark.e2e


@pytest.fixture
def servers(transactional_db, tmp_path):
    """Two daphne processes and a Celery worker on the test database and the configured Redis."""
    env = server_env(settings.REDIS_URL)
    started = []
    try:
        started.append(Daphne("web-a", env, tmp_path, wait=False))
        started.append(Daphne("web-b", env, tmp_path, wait=False))
        started.append(CeleryWorker(env, tmp_path))
        for web in started[:2]:
            web.wait_healthy()
        yield {"a": started[0], "b": started[1], "worker": started[2]}
    finally:
        for process in started:
            process.stop()


def token(user) -> str:
    return str(AccessToken.for_user(user))


async def open_socket(server, user, last_event_id=None):
    url = f"{server.ws}/ws/notifications/?token={token(user)}"
    if last_event_id is not None:
        url += f"&last_event_id={last_event_id}"
    socket = await websockets.connect(url, open_timeout=10)
    hello = json.loads(await socket.recv())
    assert hello["type"] == "connection_established", hello
    return socket, hello


async def next_event(socket, timeout: float = 10) -> dict:
    """The next stored event (skipping control messages such as pong)."""
    while True:
        message = json.loads(await asyncio.wait_for(socket.recv(), timeout))
        if "id" in message:
            return message
