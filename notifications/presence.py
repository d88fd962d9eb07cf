"""Who is online, across every web process: kept in Redis with expiry, not in process memory.

Each open socket is a member of the sorted set `presence.<user id>` scored by
the time it expires; the hub of its process refreshes the scores of its
sockets, so the sockets of a process that dies vanish within PRESENCE_TTL.
A user comes online when the set goes from empty to one socket and goes
offline when it empties; then their conversation partners get `presence`.
"""

import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.conf import settings

from core.redis import redis_client
from notifications.frames import iso

PRESENCE_TTL = 30
HEARTBEAT_SECONDS = 10
REFRESH_SLICE = 250

# Who hears that a user came online or went offline: each app that relates users registers its own
# from its AppConfig.ready() (chat: conversation partners), so presence knows no domain.
_audiences: list[Callable[[int], Iterable[int]]] = []


def key(user_id: int) -> str:
    """The user's live sockets: a sorted set scored by when each expires (online while one scores above now)."""
    return f"{settings.KAZI_REALTIME_PREFIX}presence.{user_id}"


def _last_seen_key(user_id: int) -> str:
    return f"{settings.KAZI_REALTIME_PREFIX}last_seen.{user_id}"


async def socket_opened(client, user_id: int, socket_id: str) -> bool:
    """Record the socket; True when it is the user's only live socket (they just came online)."""
    now = time.time()
    pipe = client.pipeline(transaction=True)
    pipe.zremrangebyscore(key(user_id), "-inf", now)
    pipe.zadd(key(user_id), {socket_id: now + PRESENCE_TTL})
    pipe.zcard(key(user_id))
    pipe.expire(key(user_id), PRESENCE_TTL * 2)
    _, _, count, _ = await pipe.execute()
    return count == 1


async def sockets_opened(client, sockets: list[tuple[int, str]]) -> set[int]:
    """Record many sockets in one round trip; the users among them who just came online (had no live socket)."""
    by_user: dict[int, list[str]] = {}
    for user_id, socket_id in sockets:
        by_user.setdefault(user_id, []).append(socket_id)
    now = time.time()
    pipe = client.pipeline(transaction=True)
    for user_id, socket_ids in by_user.items():
        pipe.zremrangebyscore(key(user_id), "-inf", now)
        pipe.zadd(key(user_id), dict.fromkeys(socket_ids, now + PRESENCE_TTL))
        pipe.zcard(key(user_id))
        pipe.expire(key(user_id), PRESENCE_TTL * 2)
    replies = await pipe.execute()
    counts = replies[2::4]
    # Online now, and every live socket is one of these: nobody had seen them before.
    return {
        user_id
        for (user_id, socket_ids), count in zip(by_user.items(), counts, strict=True)
        if count == len(set(socket_ids))
    }


async def socket_closed(client, user_id: int, socket_id: str) -> str | None:
    """Forget the socket; the last-seen time when no live socket of the user is left, else None."""
    now = time.time()
    pipe = client.pipeline(transaction=True)
    pipe.zrem(key(user_id), socket_id)
    pipe.zremrangebyscore(key(user_id), "-inf", now)
    pipe.zcard(key(user_id))
    _, _, count = await pipe.execute()
    if count:
        return None
    last_seen = iso(datetime.now(UTC))
    await client.set(_last_seen_key(user_id), last_seen, ex=90 * 24 * 3600)
    return last_seen


async def sockets_closed(client, sockets: list[tuple[int, str]]) -> tuple[set[int], str]:
    """Forget many sockets in one round trip (and one more for last-seen): the users left with no live socket,
    and the last-seen time recorded for them."""
    by_user: dict[int, list[str]] = {}
    for user_id, socket_id in sockets:
        by_user.setdefault(user_id, []).append(socket_id)
    now = time.time()
    pipe = client.pipeline(transaction=True)
    for user_id, socket_ids in by_user.items():
        pipe.zrem(key(user_id), *socket_ids)
        pipe.zremrangebyscore(key(user_id), "-inf", now)
        pipe.zcard(key(user_id))
    counts = (await pipe.execute())[2::3]
    offline = {user_id for user_id, count in zip(by_user, counts, strict=True) if not count}
    last_seen = iso(datetime.now(UTC))
    if offline:
        pipe = client.pipeline(transaction=False)
        for user_id in offline:
            pipe.set(_last_seen_key(user_id), last_seen, ex=90 * 24 * 3600)
        await pipe.execute()
    return offline, last_seen


async def refresh(client, sockets: list[tuple[int, str]]) -> None:
    if not sockets:
        return
    expiry = time.time() + PRESENCE_TTL
    # In slices, so that thousands of sockets never hold the event loop for long.
    for start in range(0, len(sockets), REFRESH_SLICE):
        pipe = client.pipeline(transaction=False)
        for user_id, socket_id in sockets[start : start + REFRESH_SLICE]:
            pipe.zadd(key(user_id), {socket_id: expiry})
            pipe.expire(key(user_id), PRESENCE_TTL * 2)
        await pipe.execute()


def online_user_ids(user_ids: list[int]) -> set[int]:
    """For REST callers (conversation lists): which of these users have a live socket now."""
    if not user_ids:
        return set()
    now = time.time()
    pipe = redis_client().pipeline(transaction=False)
    for user_id in user_ids:
        pipe.zcount(key(user_id), now, "+inf")
    counts = pipe.execute()
    return {user_id for user_id, count in zip(user_ids, counts, strict=True) if count}


def presence_frame(user_id: int, *, online: bool, last_seen: str | None) -> dict:
    return {"type": "presence", "user_id": str(user_id), "online": online, "last_seen": last_seen}


def register_audience(provider: Callable[[list[int]], dict[int, Iterable[int]]]) -> None:
    """`provider(user_ids)` names, for each of these users, who to tell about their presence (in one query for
    all: thousands come online at once after a deploy); called in a worker thread."""
    if provider not in _audiences:
        _audiences.append(provider)


def audiences_of(user_ids: list[int]) -> dict[int, list[int]]:
    """For each user, everyone the registered providers name, each once, in the order they name them."""
    named = [provider(user_ids) for provider in _audiences]
    return {
        user_id: list(dict.fromkeys(other for names in named for other in names.get(user_id, ())))
        for user_id in user_ids
    }


def audience_of(user_id: int) -> list[int]:
    return audiences_of([user_id])[user_id]
