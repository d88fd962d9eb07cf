"""The replay property: whatever the interleaving of writers and reconnects, every client ends with every event
of its user exactly once, in id order.

Three publisher processes (tests/e2e/publisher.py) store interleaved events for eight overlapping job seekers,
some to every seeker, with transactions held open after the store and pauses between commit and publish. Twenty
clients (two or three tabs per seeker) connect to either of two daphne processes, read for a random while,
drop, and reconnect to a random one of them with the last id they received.
"""

import asyncio
import json
import random
import subprocess
import sys

import pytest
import websockets
from django.conf import settings
from django.db.models import Q

from notifications.models import Notification
from tests import factories
from tests.e2e.conftest import token
from tests.e2e.servers import ROOT, Daphne, server_env

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLISHERS = 3
EVENTS_EACH = 100
SEEKERS = 8
CLIENTS = 20
QUIET_SECONDS = 2.0
LOGS = {}


async def run_client(user, servers, rng: random.Random, finishing: asyncio.Event) -> list[int]:
    received: list[int] = []
    log: list = []
    last = 0
    while True:
        final = finishing.is_set()
        server = rng.choice(servers)
        url = f"{server.ws}/ws/notifications/?token={token(user)}&last_event_id={last}"
        async with websockets.connect(url, open_timeout=20, max_queue=None) as socket:
            hello = json.loads(await socket.recv())
            assert hello["type"] == "connection_established", hello
            log.append((server.name, last, hello["last_event_id"]))
            lifetime = QUIET_SECONDS if final else rng.uniform(0.05, 0.8)
            while True:
                try:
                    message = json.loads(await asyncio.wait_for(socket.recv(), lifetime))
                except TimeoutError:
                    break
                if "id" in message:
                    received.append(message["id"])
                    log.append(message["id"])
                    last = message["id"]
                if not final and rng.random() < 0.02:
                    break  # dropped in the middle of a burst
        if final:
            LOGS[id(received)] = log
            return received


def expected_ids(user) -> list[int]:
    visible = Q(recipient=user) | Q(audience="job_seeker", created_at__gte=user.date_joined)
    return list(Notification.objects.filter(visible).order_by("id").values_list("id", flat=True))


async def test_every_client_gets_every_event_once_in_order_across_processes_and_reconnects(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("prop")
    env = server_env(settings.REDIS_URL)
    servers = [Daphne("web-a", env, tmp_path, wait=False), Daphne("web-b", env, tmp_path, wait=False)]
    publishers = []
    try:
        for server in servers:
            server.wait_healthy()
        seekers = [await asyncio.to_thread(factories.SeekerFactory) for _ in range(SEEKERS)]
        rng = random.Random(20261204)
        owners = [seekers[i % SEEKERS] for i in range(CLIENTS)]
        finishing = asyncio.Event()
        clients = [
            asyncio.ensure_future(run_client(owner, servers, random.Random(rng.random()), finishing))
            for owner in owners
        ]
        await asyncio.sleep(1)  # every client connected once before the first event
        ids = [str(seeker.pk) for seeker in seekers]
        for seed in range(PUBLISHERS):
            publishers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "tests.e2e.publisher", str(seed), str(EVENTS_EACH), *ids],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=open(tmp_path / f"publisher-{seed}.log", "wb"),  # noqa: SIM115 - the child keeps it
                )
            )
        for publisher in publishers:
            assert await asyncio.to_thread(publisher.wait, 120) == 0, (tmp_path / "publisher-0.log").read_text()
        finishing.set()
        results = await asyncio.wait_for(asyncio.gather(*clients), 90)

        for owner, received in zip(owners, results, strict=True):
            expected = await asyncio.to_thread(expected_ids, owner)
            out_of_order = [(a, b) for a, b in zip(received, received[1:], strict=False) if b <= a]
            assert not out_of_order, f"seeker {owner.pk}: ids not increasing: {out_of_order[:5]} {LOGS[id(received)]}"
            missing = sorted(set(expected) - set(received))
            assert not missing, (
                f"seeker {owner.pk}: {len(missing)} of {len(expected)} events never arrived: {missing[:5]}, "
                f"log {LOGS[id(received)]}"
            )
            assert received == expected
    finally:
        for publisher in publishers:
            if publisher.poll() is None:
                publisher.kill()
        for server in servers:
            server.stop()
