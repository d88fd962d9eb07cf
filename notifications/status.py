"""Socket figures summed over every live web process (each hub writes its own snapshot)."""

import json
import time
from collections import Counter

from django.conf import settings

from core.redis import redis_client
from notifications.hub import STATUS_KEY_SUFFIX, STATUS_STALE_SECONDS


def socket_status() -> dict:
    key = f"{settings.KAZI_REALTIME_PREFIX}{STATUS_KEY_SUFFIX}"
    client = redis_client()
    snapshots = client.hgetall(key)
    now = time.time()
    users: Counter = Counter()
    rooms: Counter = Counter()
    watchers: Counter = Counter()
    interviews: Counter = Counter()
    connections = processes = 0
    stale = []
    for process_id, raw in snapshots.items():
        snapshot = json.loads(raw)
        if now - snapshot["at"] > STATUS_STALE_SECONDS:
            stale.append(process_id)
            continue
        processes += 1
        connections += snapshot["connections"]
        users.update(snapshot["users"])
        rooms.update(snapshot["rooms"])
        watchers.update(snapshot["resume_watchers"])
        interviews.update(snapshot.get("interviews", {}))  # absent from a process of an older release
    if stale:
        client.hdel(key, *stale)  # processes that died without saying goodbye

    return {
        "active_connections": connections,
        "active_users": len(users),
        "rooms": dict(rooms),
        "resume_watchers": dict(watchers),
        "interview_connections": sum(interviews.values()),
        "interviews": dict(interviews),
        "processes": processes,
    }
