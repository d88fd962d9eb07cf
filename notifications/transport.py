"""Carries real-time messages between processes over Redis pub/sub.

Each group (see groups.py) is a Redis channel. A message is an envelope that
the receiving process decodes once and whose `f` (the frame text, serialized
once by the publisher) it writes as is to every local socket of the group:
    {"id": event id or null, "t": type, "n": notification_type, "f": frame text}
Publishing never raises: an event is already stored, and replay delivers what
a broken publish did not.

A publish to many groups at once (one event to each of thousands of users) goes
instead as a few messages on the `batch` channel that every web process
listens to, each carrying [group, envelope] pairs: thousands of PUBLISH round
trips and pub/sub messages become a handful.
"""

import json
import logging

import redis
from django.conf import settings

from core import metrics
from core.redis import redis_client

logger = logging.getLogger(__name__)


def channel_name(group: str) -> str:
    return f"{settings.KAZI_REALTIME_PREFIX}{group}"


BATCH_GROUP = "batch"
# Below this many groups in one publish, one message per group; from it on, batches.
BATCH_FROM = 50
BATCH_SIZE = 1000


def envelope(*, frame_text: str, event_type: str, event_id: int | None = None, notification_type: str = "") -> dict:
    return {"id": event_id, "t": event_type, "n": notification_type, "f": frame_text}


def _dumps(value) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def publish(messages: list[tuple[str, dict]]) -> int:
    """PUBLISH every (group, envelope) in one round trip; returns how many were handed to Redis."""
    if not messages:
        return 0
    try:
        pipe = redis_client().pipeline(transaction=False)
        if len(messages) < BATCH_FROM:
            for group, payload in messages:
                pipe.publish(channel_name(group), _dumps(payload))
        else:
            for start in range(0, len(messages), BATCH_SIZE):
                chunk = messages[start : start + BATCH_SIZE]
                pipe.publish(channel_name(BATCH_GROUP), _dumps({"b": chunk}))
        pipe.execute()
        metrics.events_published.labels("ok").inc(len(messages))
        return len(messages)
    except redis.RedisError:
        metrics.events_published.labels("failed").inc(len(messages))
        logger.warning(
            "real-time publish of %d message(s) failed; clients recover them by replay", len(messages), exc_info=True
        )
        return 0
