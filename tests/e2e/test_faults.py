"""Nothing is lost when a web process dies or Redis restarts."""

import asyncio
import threading
import time

import pytest
from channels.db import database_sync_to_async
from django.conf import settings
from django.db import connection, transaction

from notifications.broadcaster import broadcaster
from tests import factories
from tests.e2e.conftest import next_event, open_socket
from tests.e2e.servers import Daphne, PrivateRedis, server_env
from tests.waiting import wait_until_async

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def publish_note(user, text: str) -> int:
    with transaction.atomic():
        [event] = broadcaster.publish(
            user_ids=[user.pk], event_type="notification", notification_type="info", title=text, message=text
        )
    return event.pk


async def test_socket_on_a_killed_process_recovers_every_event_from_the_other(transactional_db, tmp_path):
    env = server_env(settings.REDIS_URL)
    a, b = Daphne("web-a", env, tmp_path, wait=False), Daphne("web-b", env, tmp_path, wait=False)
    try:
        a.wait_healthy()
        b.wait_healthy()
        seeker = await asyncio.to_thread(factories.SeekerFactory)
        socket, _ = await open_socket(a, seeker)
        first = await database_sync_to_async(publish_note)(seeker, "before the crash")
        last_seen = (await next_event(socket))["id"]
        assert last_seen == first

        a.kill()  # SIGKILL: no goodbye, no flush
        published = [await database_sync_to_async(publish_note)(seeker, f"while down {i}") for i in range(20)]

        socket_b, _ = await open_socket(b, seeker, last_event_id=last_seen)
        received = [(await next_event(socket_b))["id"] for _ in range(20)]
        assert received == published, "all 20, in order"
        with pytest.raises(TimeoutError):
            await next_event(socket_b, timeout=0.5)  # and nothing twice
        await socket_b.close()
    finally:
        a.stop()
        b.stop()


async def test_redis_restart_loses_nothing_on_open_sockets(transactional_db, tmp_path, settings):
    redis = PrivateRedis(tmp_path)
    settings.REDIS_URL = redis.url  # this process publishes to the Redis that will restart
    web = Daphne("web", server_env(redis.url), tmp_path)
    try:
        seekers = [await asyncio.to_thread(factories.SeekerFactory) for _ in range(2)]
        sockets = {seeker.pk: [(await open_socket(web, seeker))[0] for _ in range(2)] for seeker in seekers}
        published: dict[int, list[int]] = {seeker.pk: [] for seeker in seekers}

        def publish_steadily():
            try:
                for i in range(30):
                    for seeker in seekers:
                        published[seeker.pk].append(publish_note(seeker, f"event {i}"))
                    time.sleep(0.1)  # a steady stream, before, during and after the outage: real time on purpose
            finally:
                connection.close()

        publisher = threading.Thread(target=publish_steadily)
        publisher.start()
        first = seekers[0].pk
        await wait_until_async(lambda: len(published[first]) >= 10, 30, "events published before the outage")
        redis.kill()
        await wait_until_async(lambda: len(published[first]) >= 20, 30, "events published during the outage")
        redis.start()
        await asyncio.to_thread(publisher.join)

        for seeker in seekers:
            expected = published[seeker.pk]
            for socket in sockets[seeker.pk]:
                received = []
                while len(received) < len(expected):
                    received.append((await next_event(socket, timeout=15))["id"])
                assert sorted(received) == expected, "every event exactly once"
                with pytest.raises(TimeoutError):
                    await next_event(socket, timeout=0.3)
                await socket.close()
    finally:
        web.stop()
        redis.kill()
