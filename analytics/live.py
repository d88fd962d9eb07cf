"""Open dashboards follow changes live, without a frame per change: one `analytics_updated` frame per company at
most every FRAME_SECONDS, sent after the window so that it covers every change made in it.

The first change of a window claims it in Redis and queues the frame (analytics.tasks.announce_dashboards) with a
countdown; later changes in the window find it claimed and add nothing. The task releases the claim before it
sends, so a change that lands after the release claims a new window: nothing is left unannounced.
"""

import redis

from core.redis import redis_client

FRAME_SECONDS = 2
# The claim outlives its window in case the worker is down; then the next change after it expires tries again.
_CLAIM_SECONDS = FRAME_SECONDS * 10


def _key(company_id: int) -> str:
    return f"kazi:analytics-updated:{company_id}"


def dashboard_frame_claim(*, company_id: int) -> bool:
    """True when this change opens a window (the caller queues the frame); False when one is already queued."""
    try:
        return bool(redis_client().set(_key(company_id), 1, nx=True, ex=_CLAIM_SECONDS))
    except redis.RedisError:
        return False  # live figures are a convenience: a change must never fail because Redis is away


def dashboard_frame_release(*, company_id: int) -> None:
    redis_client().delete(_key(company_id))
