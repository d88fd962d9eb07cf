"""A client that stops reading costs the server a bounded amount of memory, and learns why it was closed."""

import asyncio
import json
from pathlib import Path

import pytest
import websockets
from channels.db import database_sync_to_async
from django.conf import settings
from django.db import transaction

from notifications.broadcaster import broadcaster
from tests import factories
from tests.e2e.conftest import token
from tests.e2e.servers import Daphne, server_env

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EVENT_BYTES = 100_000
EVENTS = 200  # 20 MB


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


@database_sync_to_async
def publish_big(user, n: int) -> None:
    text = (f"{n:06d}" * (EVENT_BYTES // 6))[:EVENT_BYTES]
    with transaction.atomic():
        broadcaster.publish(user_ids=[user.pk], event_type="notification", notification_type="info", message=text)


async def test_a_socket_that_reads_nothing_is_closed_with_4008_and_bounds_server_memory(tmp_path):
    web = Daphne("web", server_env(settings.REDIS_URL), tmp_path)
    try:
        seeker = await asyncio.to_thread(factories.SeekerFactory)
        url = f"{web.ws}/ws/notifications/?token={token(seeker)}"
        # A client library buffers a little and then stops reading the TCP socket: the server sees a stalled reader.
        socket = await websockets.connect(url, open_timeout=10, max_queue=1, max_size=2**20)
        assert json.loads(await socket.recv())["type"] == "connection_established"
        await publish_big(seeker, 0)  # the first event warms up the process (imports, buffers) before measuring
        await asyncio.sleep(1)
        before = rss_bytes(web.pid)

        for n in range(1, EVENTS + 1):
            await publish_big(seeker, n)
        await asyncio.sleep(3)
        growth = rss_bytes(web.pid) - before
        assert growth < 10 * 2**20, f"server RSS grew {growth / 2**20:.1f} MB for one stalled socket"

        with pytest.raises(websockets.ConnectionClosed):
            while True:
                await asyncio.wait_for(socket.recv(), 30)
        assert socket.close_code == 4008, (socket.close_code, socket.close_reason)
    finally:
        web.stop()
