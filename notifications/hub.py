"""The per-process real-time hub: one Redis pub/sub connection for all local sockets.

Channels' own layers give every socket its own queue and decode every message
once per socket; at thousands of sockets that per-recipient work is the cost
(see issue 3). Here each process subscribes once per group that has local
members, decodes an envelope once and hands the already-serialized frame to
every local member.

Delivery is made reliable and ordered by the event store, not by pub/sub
(docs/realtime.md): stored events that arrive wait in `_held` until the commit
horizon passes them; the sequencer then hands every event up to the horizon to
the local sockets in id order, reading from the store whatever a local socket
should have and never arrived (a publish lost while Redis was away, a publisher
that died between its commit and its publish, a socket that joined after the
publish). `cursor` is how far it got: every id at or below it has been handed
over, so a socket that joins replays up to it and takes the rest live.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import json
import logging
import math
import os
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

import redis
from channels.db import database_sync_to_async
from django.conf import settings
from redis.asyncio.connection import Connection, parse_url

from notifications import event_log, presence, transport

logger = logging.getLogger(__name__)

# Reads of the store off the event loop, on threads of their own (not Channels' single one).
_db = functools.partial(database_sync_to_async, thread_sensitive=False)

# Without news from Redis, how often the sequencer reads the store anyway (Redis away, a lost publish).
SEQUENCE_TICK_SECONDS = 0.25
# After a pass, a pause that lets the arrivals of concurrent commits gather into the next one.
SEQUENCE_PAUSE_SECONDS = 0.005
# How long a committed event that a local socket wants is awaited over Redis before it is read from the store.
ARRIVAL_GRACE_SECONDS = 0.05
# The most ids one pass covers: a long outage is caught up in steps, not in one read of the whole log.
SEQUENCE_CHUNK = 20_000
# Arrivals kept in memory while the horizon stands still; past it they are read from the store instead.
MAX_HELD = 100_000

STATUS_KEY_SUFFIX = "status"
STATUS_STALE_SECONDS = 30


class Member(Protocol):
    user_id: int
    socket_id: str

    def deliver(self, group: str, envelope: dict) -> None: ...

    def transport_restored(self) -> None: ...


class RealtimeHub:
    def __init__(self) -> None:
        self.process_id = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.members: dict[str, set[Member]] = defaultdict(set)
        self._groups_of: dict[Member, set[str]] = defaultdict(set)
        self._to_subscribe: list[str] = []
        self._sending: set[asyncio.Task] = set()
        self.sockets: set[Member] = set()
        self._subscribed: set[str] = set()
        self._waiting: dict[str, asyncio.Future] = {}
        self._connection: Connection | None = None
        self._connected = asyncio.Event()
        self._resubscribing: set[str] = set()
        self._reader: asyncio.Task | None = None
        self._pinger: asyncio.Task | None = None
        self._status_task: asyncio.Task | None = None
        self._redis: redis.asyncio.Redis | None = None
        self._heartbeat: asyncio.Task | None = None
        self._sequencer: asyncio.Task | None = None
        self.cursor: int | None = None
        self._held: dict[int, list[tuple[str, dict]]] = {}
        self._missing_since: dict[int, float] = {}  # wanted ids not arrived yet: since when (monotonic)
        self._wake = asyncio.Event()
        self._positioning = asyncio.Lock()
        # The sequencer's reads on a thread and a connection of their own: behind the requests' database work
        # (a busy pool, a busy thread pool) every delivery of the process would wait.
        self._reads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kazi-sequencer")
        self._store = None  # the sequencer's database connection
        self._status_dirty = True
        self._closed = False
        self.reconnects = 0
        atexit.register(self._forget_status_at_exit)

    def _forget_status_at_exit(self) -> None:
        # A process that stops cleanly leaves no stale figures behind (a killed one's expire).
        with contextlib.suppress(Exception):
            client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
            client.hdel(f"{settings.KAZI_REALTIME_PREFIX}{STATUS_KEY_SUFFIX}", self.process_id)
            client.close()

    # --- membership ------------------------------------------------------------------
    async def register(self, member: Member) -> None:
        self.sockets.add(member)
        self._status_dirty = True
        self._start()

    async def unregister(self, member: Member) -> None:
        self.sockets.discard(member)
        # Its own groups, not a scan of every group of the process for each socket that leaves.
        for group in list(self._groups_of.pop(member, ())):
            await self.leave(group, member)
        self._status_dirty = True

    async def join(self, group: str, member: Member) -> None:
        """Add a member; returns once Redis has confirmed the subscription, so nothing published later is missed."""
        self.members[group].add(member)
        self._groups_of[member].add(group)
        self._status_dirty = True
        await self._subscribe(transport.channel_name(group))

    async def leave(self, group: str, member: Member) -> None:
        members = self.members.get(group)
        if not members:
            return
        members.discard(member)
        groups_of = self._groups_of.get(member)
        if groups_of is not None:
            groups_of.discard(group)
            if not groups_of:
                del self._groups_of[member]
        self._status_dirty = True
        if not members:
            del self.members[group]
            channel = transport.channel_name(group)
            self._subscribed.discard(channel)
            if self._connection is not None and self._connected.is_set():
                with contextlib.suppress(redis.RedisError, OSError):
                    await self._connection.send_command("UNSUBSCRIBE", channel)

    # --- the Redis connection ---------------------------------------------------------
    def _start(self) -> None:
        if self._reader is None or self._reader.done():
            self._reader = asyncio.ensure_future(self._read_forever())
        if self._pinger is None or self._pinger.done():
            self._pinger = asyncio.ensure_future(self._ping_forever())
        if self._status_task is None or self._status_task.done():
            self._status_task = asyncio.ensure_future(self._publish_status_forever())
        if self._heartbeat is None or self._heartbeat.done():
            self._heartbeat = asyncio.ensure_future(self._refresh_presence_forever())
        if self._sequencer is None or self._sequencer.done():
            self._sequencer = asyncio.ensure_future(self._sequence_forever())

    @property
    def redis(self) -> redis.asyncio.Redis:
        """A command client (not the pub/sub connection) for status and presence."""
        if self._redis is None:
            # A blocking pool: a burst of connects and disconnects waits for a connection
            # instead of failing with "Too many connections" (and losing presence updates).
            pool = redis.asyncio.BlockingConnectionPool.from_url(
                settings.REDIS_URL, max_connections=50, timeout=20, socket_timeout=5, socket_connect_timeout=5
            )
            self._redis = redis.asyncio.Redis(connection_pool=pool)
        return self._redis

    async def _refresh_presence_forever(self) -> None:
        while not self._closed:
            await asyncio.sleep(presence.HEARTBEAT_SECONDS)
            try:
                await presence.refresh(self.redis, [(s.user_id, s.socket_id) for s in self.sockets])
            except (redis.RedisError, OSError):
                logger.warning("could not refresh presence; retrying in %ss", presence.HEARTBEAT_SECONDS)

    async def _subscribe(self, channel: str) -> None:
        self._start()
        if channel in self._subscribed:
            return
        future = self._waiting.get(channel)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._waiting[channel] = future
            await asyncio.wait_for(self._connected.wait(), timeout=10)
            # The channels of every socket joining in this turn of the loop go in one SUBSCRIBE.
            self._to_subscribe.append(channel)
            if len(self._to_subscribe) == 1:
                asyncio.get_running_loop().call_soon(self._subscribe_gathered)
        await asyncio.wait_for(asyncio.shield(future), timeout=10)

    def _subscribe_gathered(self) -> None:
        channels, self._to_subscribe = self._to_subscribe, []
        if channels:
            task = asyncio.ensure_future(self._send_subscribe(channels))
            self._sending.add(task)  # held until done: the loop keeps tasks only weakly
            task.add_done_callback(self._sending.discard)

    async def _send_subscribe(self, channels: list[str]) -> None:
        # On failure the reconnect subscribes every waiting channel.
        with contextlib.suppress(redis.RedisError, OSError, AttributeError):
            await self._connection.send_command("SUBSCRIBE", *channels)

    async def _connect(self) -> None:
        # RESP2: under RESP3 (redis-py 8's default) pub/sub replies are push frames that
        # read_response hands to a push handler instead of returning them.
        connection = Connection(
            **parse_url(settings.REDIS_URL), socket_keepalive=True, socket_connect_timeout=5, protocol=2
        )
        await connection.connect()
        self._connection = connection
        channels = {transport.channel_name(group) for group in self.members} | set(self._waiting)
        # Every process hears the batch channel, whatever its sockets.
        channels.add(transport.channel_name(transport.BATCH_GROUP))
        self._subscribed.clear()
        self._resubscribing = set(channels)
        await connection.send_command("SUBSCRIBE", *channels)
        self._connected.set()

    async def _read_forever(self) -> None:
        backoff = 0.05
        broken = False
        while not self._closed:
            try:
                if self._connection is None:
                    await self._connect()
                    if broken:
                        self.reconnects += 1
                        logger.warning("real-time hub reconnected to Redis; local sockets will replay")
                        if not self._resubscribing:
                            self._restore_members()
                    broken = False
                    backoff = 0.05
                response = await self._connection.read_response(timeout=math.inf)
                self._handle(response)
            except asyncio.CancelledError:
                raise
            except (redis.RedisError, OSError, ConnectionError) as exc:
                if not broken:
                    logger.warning("real-time hub lost Redis (%s); reconnecting", exc)
                broken = True
                await self._drop_connection()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 2.0)
            except Exception:
                logger.exception("real-time hub failed to handle a message")

    async def _drop_connection(self) -> None:
        self._connected.clear()
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.disconnect()

    async def _ping_forever(self) -> None:
        # A half-open TCP connection reads nothing forever; a PING that fails to write reveals it.
        while not self._closed:
            await asyncio.sleep(10)
            if self._connection is not None and self._connected.is_set():
                try:
                    await self._connection.send_command("PING")
                except (redis.RedisError, OSError):
                    await self._drop_connection()

    def _handle(self, response) -> None:
        kind = response[0]
        if kind == b"message":
            group = response[1].decode()[len(settings.KAZI_REALTIME_PREFIX) :]
            if group == transport.BATCH_GROUP:
                for member_group, envelope in json.loads(response[2])["b"]:
                    self._arrive(member_group, envelope)
            elif group in self.members:
                self._arrive(group, json.loads(response[2]))
        elif kind == b"subscribe":
            channel = response[1].decode()
            self._subscribed.add(channel)
            future = self._waiting.pop(channel, None)
            if future is not None and not future.done():
                future.set_result(None)
            if self._resubscribing:
                self._resubscribing.discard(channel)
                if not self._resubscribing and self.reconnects:
                    self._restore_members()

    # --- ordered delivery of stored events --------------------------------------------
    def _arrive(self, group: str, envelope: dict) -> None:
        event_id = envelope["id"]
        if event_id is None:
            self._deliver(group, envelope)  # not stored: no order to keep, nothing to replay
            return
        if self.cursor is not None and event_id <= self.cursor:
            return  # handed over already, from the store
        if len(self._held) < MAX_HELD or event_id in self._held:
            self._held.setdefault(event_id, []).append((group, envelope))
        self._wake.set()

    def _read_sync(self, query, *args):
        try:
            if self._store is None or self._store.closed:
                self._store = event_log.connect_reader()
            return query(*args, reader=self._store)
        except Exception:
            if self._store is not None:
                event_log.close_reader(self._store)
            self._store = None
            raise

    async def _read(self, query, *args):
        """`query` of event_log on the sequencer's own connection."""
        return await asyncio.get_running_loop().run_in_executor(self._reads, self._read_sync, query, *args)

    async def position(self, *, at_least: int = 0, wait: float = 0) -> int:
        """The sequencer's cursor: a socket that has joined its groups replays up to it and gets the rest live.

        With `at_least`, waits up to `wait` seconds for the cursor to reach it."""
        async with self._positioning:
            if self.cursor is None:
                self.cursor = await self._read(event_log.horizon)
                self._held = {i: pairs for i, pairs in self._held.items() if i > self.cursor}
                self._start()
        deadline = time.monotonic() + wait
        while self.cursor is not None and self.cursor < at_least and time.monotonic() < deadline:
            self._wake.set()
            await asyncio.sleep(SEQUENCE_PAUSE_SECONDS)
        return self.cursor if self.cursor is not None else await self.position()

    async def _sequence_forever(self) -> None:
        while not self._closed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), SEQUENCE_TICK_SECONDS)
            self._wake.clear()
            if not self.sockets:
                # Nobody to hand anything to: the next socket starts from a fresh horizon.
                self.cursor = None
                self._held.clear()
                self._missing_since.clear()
                continue
            try:
                await self._advance()
            except Exception:
                logger.warning("the event sequencer could not read the store; retrying", exc_info=True)
                await asyncio.sleep(0.5)
            await asyncio.sleep(SEQUENCE_PAUSE_SECONDS)

    async def _advance(self) -> None:
        """Hand every event up to the horizon to the local sockets, in id order."""
        if self.cursor is None:
            await self.position()
            return
        start = self.cursor
        # One round trip: the horizon and what committed up to it. (A count first, to skip the read when every id
        # had arrived, never skipped it with two processes or more: each hears only its own sockets' events.)
        horizon, committed = await self._read(event_log.final_after, start, start + SEQUENCE_CHUNK)
        if horizon <= start:
            return
        missing = {event.id: event.group for event in committed if event.id not in self._held}
        horizon, wanted = self._await_arrivals(
            horizon, {event_id for event_id, group in missing.items() if self.members.get(group)}
        )
        if horizon <= start:
            return
        fetched = await _db(event_log.envelopes_of)(sorted(wanted)) if wanted else {}
        if self.cursor != start:
            return  # the hub was reset meanwhile (every socket left)
        # From here to the end nothing awaits: no socket joins, and nothing arrives, halfway through a pass.
        arrived = [event_id for event_id in self._held if event_id <= horizon]
        for event_id in sorted({*arrived, *(event_id for event_id in missing if event_id <= horizon)}):
            if event_id in self._held:
                pairs = self._held.pop(event_id)
            elif event_id in fetched:
                pairs = [(missing[event_id], fetched[event_id])]
            elif event_id not in wanted and self.members.get(missing[event_id]):
                # A socket of its group joined during the reads: the next pass fetches it for them.
                self._wake.set()
                return
            else:
                pairs = []  # no local socket wants it, or it was deleted since it committed
            for group, envelope in pairs:
                self._deliver(group, envelope)
            self.cursor = event_id
        self.cursor = horizon
        self._missing_since = {i: since for i, since in self._missing_since.items() if i > horizon}

    def _await_arrivals(self, horizon: int, wanted: set[int]) -> tuple[int, set[int]]:
        """This pass's horizon, and the ids it reads from the store: a committed event that a local socket wants and
        that has been missing for less than ARRIVAL_GRACE_SECONDS is left to arrive over Redis, and the pass stops
        just below it. Its publish follows its commit by a round trip to Redis: without the grace, a pass that
        runs in between reads from the store, event by event, what arrives a moment later (and drops the
        arrival). A publish that is lost is read from the store by a pass after the grace."""
        now = time.monotonic()
        awaited = [i for i in wanted if now - self._missing_since.setdefault(i, now) < ARRIVAL_GRACE_SECONDS]
        if awaited:
            horizon = min(awaited) - 1
        return horizon, {event_id for event_id in wanted if event_id <= horizon}

    def _deliver(self, group: str, envelope: dict) -> None:
        for member in tuple(self.members.get(group, ())):
            try:
                member.deliver(group, envelope)
            except Exception:
                logger.exception("delivery to a local socket failed")

    def _restore_members(self) -> None:
        self._wake.set()  # what was published meanwhile is only in the store: the sequencer reads it
        for member in tuple(self.sockets):
            member.transport_restored()

    # --- status across processes (GET /ws/status/) --------------------------------------
    def snapshot(self) -> dict:
        users: dict[int, int] = defaultdict(int)
        # Interview room sockets only join their room's group (they are not notification sockets, which would
        # mark their user online): they are counted from the groups.
        in_interviews = {m for g, members in self.members.items() if g.startswith("interview.") for m in members}
        for socket in (*self.sockets, *in_interviews):
            users[socket.user_id] += 1
        rooms = {g.split(".", 1)[1]: len(m) for g, m in self.members.items() if g.startswith("room.")}
        watchers = {g.split(".", 1)[1]: len(m) for g, m in self.members.items() if g.startswith("resume.")}
        interviews = {g.split(".", 1)[1]: len(m) for g, m in self.members.items() if g.startswith("interview.")}
        return {
            "at": time.time(),
            "connections": len(self.sockets) + len(in_interviews),
            "users": {str(uid): count for uid, count in users.items()},
            "rooms": rooms,
            "resume_watchers": watchers,
            "interviews": interviews,
        }

    async def _publish_status_forever(self) -> None:
        key = f"{settings.KAZI_REALTIME_PREFIX}{STATUS_KEY_SUFFIX}"
        last_write = 0.0
        while not self._closed:
            now = time.monotonic()
            if self._status_dirty or now - last_write > STATUS_STALE_SECONDS / 3:
                self._status_dirty = False
                try:
                    await self.redis.hset(key, self.process_id, json.dumps(self.snapshot()))
                    last_write = now
                except (redis.RedisError, OSError):
                    self._status_dirty = True
            await asyncio.sleep(1)

    async def close(self) -> None:
        self._closed = True
        for task in (self._reader, self._pinger, self._status_task, self._heartbeat, self._sequencer):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        await self._drop_connection()
        if self._store is not None:
            await asyncio.get_running_loop().run_in_executor(self._reads, event_log.close_reader, self._store)
        self._reads.shutdown(wait=False)
        if self._redis is not None:
            with contextlib.suppress(Exception):
                await self._redis.hdel(f"{settings.KAZI_REALTIME_PREFIX}{STATUS_KEY_SUFFIX}", self.process_id)
                await self._redis.aclose()


_hubs: dict[asyncio.AbstractEventLoop, RealtimeHub] = {}


def get_hub() -> RealtimeHub:
    """The hub of the running event loop (one per daphne process)."""
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        for old_loop in [old for old in _hubs if old.is_closed()]:
            del _hubs[old_loop]
        hub = _hubs[loop] = RealtimeHub()
    return hub


async def close_hub() -> None:
    """Close the hub of the running event loop. Web processes never need it (their loop lives as long as they
    do); the test suite does, running each test in a loop of its own. Kept here so that nothing outside this
    module reaches into `_hubs`."""
    hub = _hubs.pop(asyncio.get_running_loop(), None)
    if hub is not None:
        await hub.close()
