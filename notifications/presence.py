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


def _key(user_id: int) -> str:
    return f"{settings.KAZI_REALTIME_PREFIX}presence.{user_id}"


def _last_seen_key(user_id: int) -> str:
    return f"{settings.KAZI_REALTIME_PREFIX}last_seen.{user_id}"


async def socket_opened(client, user_id: int, socket_id: str) -> bool:
    """Record the socket; True when it is the user's only live socket (they just came online)."""
    now = time.time()
    pipe = client.pipeline(transaction=True)
    pipe.zremrangebyscore(_key(user_id), "-inf", now)
    pipe.zadd(_key(user_id), {socket_id: now + PRESENCE_TTL})
    pipe.zcard(_key(user_id))
    pipe.expire(_key(user_id), PRESENCE_TTL * 2)
    _, _, count, _ = await pipe.execute()
    return count == 1


async def socket_closed(client, user_id: int, socket_id: str) -> str | None:
    """Forget the socket; the last-seen time when no live socket of the user is left, else None."""
    now = time.time()
    pipe = client.pipeline(transaction=True)
    pipe.zrem(_key(user_id), socket_id)
    pipe.zremrangebyscore(_key(user_id), "-inf", now)
    pipe.zcard(_key(user_id))
    _, _, count = await pipe.execute()
    if count:
        return None
    last_seen = iso(datetime.now(UTC))
    await client.set(_last_seen_key(user_id), last_seen, ex=90 * 24 * 3600)
    return last_seen


async def refresh(client, sockets: list[tuple[int, str]]) -> None:
    if not sockets:
        return
    expiry = time.time() + PRESENCE_TTL
    # In slices, so that thousands of sockets never hold the event loop for long.
    for start in range(0, len(sockets), REFRESH_SLICE):
        pipe = client.pipeline(transaction=False)
        for user_id, socket_id in sockets[start : start + REFRESH_SLICE]:
            pipe.zadd(_key(user_id), {socket_id: expiry})
            pipe.expire(_key(user_id), PRESENCE_TTL * 2)
        await pipe.execute()


def online_user_ids(user_ids: list[int]) -> set[int]:
    """For REST callers (conversation lists): which of these users have a live socket now."""
    if not user_ids:
        return set()
    now = time.time()
    pipe = redis_client().pipeline(transaction=False)
    for user_id in user_ids:
        pipe.zcount(_key(user_id), now, "+inf")
    counts = pipe.execute()
    return {user_id for user_id, count in zip(user_ids, counts, strict=True) if count}


def presence_frame(user_id: int, *, online: bool, last_seen: str | None) -> dict:
    return {"type": "presence", "user_id": str(user_id), "online": online, "last_seen": last_seen}


def register_audience(provider: Callable[[int], Iterable[int]]) -> None:
    """`provider(user_id)` names users to tell about that user's presence (called in a worker thread)."""
    if provider not in _audiences:
        _audiences.append(provider)


def audience_of(user_id: int) -> list[int]:
    """Everyone the registered providers name for `user_id`, each once, in the order they name them."""
    return list(dict.fromkeys(other for provider in _audiences for other in provider(user_id)))
