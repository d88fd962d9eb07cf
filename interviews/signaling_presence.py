"""Who is in an interview room now, across every web process: a Redis sorted set per interview.

Each open signaling socket is the member `<user id>|<connection id>`, scored by the time it
expires; its consumer refreshes the score, so the sockets of a process that died vanish within
PRESENCE_TTL and `peers` stays right. The database's attendance (REST join/leave) is a different
thing: a dropped socket is not a departure from the interview.
"""

import time

from django.conf import settings

PRESENCE_TTL = 30
HEARTBEAT_SECONDS = 10


def _key(interview_id: int) -> str:
    return f"{settings.KAZI_REALTIME_PREFIX}interview.{interview_id}.present"


def _member(user_id: int, connection_id: str) -> str:
    return f"{user_id}|{connection_id}"


def _connections(members) -> dict[int, list[str]]:
    """user id -> the ids of their live sockets."""
    found: dict[int, list[str]] = {}
    for member in members:
        user_id, connection_id = (member.decode() if isinstance(member, bytes) else member).split("|", 1)
        found.setdefault(int(user_id), []).append(connection_id)
    return {user_id: sorted(ids) for user_id, ids in found.items()}


async def enter(client, interview_id: int, user_id: int, connection_id: str) -> dict[int, list[str]]:
    """Record the socket; who is present afterwards (the caller included), with their sockets."""
    now = time.time()
    key = _key(interview_id)
    pipe = client.pipeline(transaction=True)
    pipe.zremrangebyscore(key, "-inf", now)
    pipe.zadd(key, {_member(user_id, connection_id): now + PRESENCE_TTL})
    pipe.zrangebyscore(key, now, "+inf")
    pipe.expire(key, PRESENCE_TTL * 2)
    _, _, members, _ = await pipe.execute()
    return _connections(members)


async def refresh(client, interview_id: int, user_id: int, connection_id: str) -> None:
    key = _key(interview_id)
    pipe = client.pipeline(transaction=False)
    pipe.zadd(key, {_member(user_id, connection_id): time.time() + PRESENCE_TTL})
    pipe.expire(key, PRESENCE_TTL * 2)
    await pipe.execute()


async def leave(client, interview_id: int, user_id: int, connection_id: str) -> bool:
    """Forget the socket; True when the user has no other live socket in the room (they left it)."""
    now = time.time()
    key = _key(interview_id)
    pipe = client.pipeline(transaction=True)
    pipe.zrem(key, _member(user_id, connection_id))
    pipe.zremrangebyscore(key, "-inf", now)
    pipe.zrangebyscore(key, now, "+inf")
    _, _, members = await pipe.execute()
    return user_id not in _connections(members)


async def present(client, interview_id: int) -> dict[int, list[str]]:
    return _connections(await client.zrangebyscore(_key(interview_id), time.time(), "+inf"))
