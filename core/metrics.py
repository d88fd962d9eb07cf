"""Kazi's own Prometheus metrics, beside django-prometheus's request and database ones.

Web processes count in memory (each daphne process is its own scrape target, as
Prometheus expects). Celery workers serve no HTTP, so their task outcomes go to a
Redis hash that every web process reports: one figure, whichever process is scraped.
"""

import logging

import redis
from django.conf import settings
from prometheus_client import REGISTRY, Counter, Gauge
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from core.redis import redis_client

logger = logging.getLogger(__name__)

open_sockets = Gauge("kazi_websocket_open_connections", "Authenticated WebSocket connections open in this process")
events_published = Counter(
    "kazi_events_published_total", "Real-time messages handed to Redis by this process", ["outcome"]
)
events_delivered = Counter("kazi_events_delivered_total", "Live events queued to a socket of this process")
events_replayed = Counter("kazi_events_replayed_total", "Stored events replayed to a reconnecting socket")
cache_requests = Counter("kazi_cache_requests_total", "Reads of cached hot data", ["namespace", "result"])

CELERY_OUTCOMES_KEY = "kazi:metrics:celery"


def celery_task_outcome(task_name: str, outcome: str) -> None:
    """Count a task's success, failure or retry where any web process can report it."""
    try:
        redis_client().hincrby(f"{settings.KAZI_REALTIME_PREFIX}{CELERY_OUTCOMES_KEY}", f"{task_name}|{outcome}", 1)
    except redis.RedisError:
        logger.warning("task outcome of %s not counted: Redis unavailable", task_name)


class SharedCollector:
    """Figures computed at scrape time: Celery outcomes from Redis, and the cache hit ratio."""

    def collect(self):
        tasks = CounterMetricFamily(
            "kazi_celery_tasks", "Celery task outcomes, all workers", labels=["task", "outcome"]
        )
        try:
            counts = redis_client().hgetall(f"{settings.KAZI_REALTIME_PREFIX}{CELERY_OUTCOMES_KEY}")
        except redis.RedisError:
            counts = {}
        for field, value in sorted(counts.items()):
            task, _, outcome = field.decode().rpartition("|")
            tasks.add_metric([task, outcome], int(value))
        yield tasks

        ratio = GaugeMetricFamily(
            "kazi_cache_hit_ratio", "Share of cached reads served from the cache in this process", labels=["namespace"]
        )
        by_namespace: dict[str, dict[str, float]] = {}
        for metric in cache_requests.collect():
            for sample in metric.samples:
                if sample.name.endswith("_total"):
                    counts = by_namespace.setdefault(sample.labels["namespace"], {})
                    counts[sample.labels["result"]] = sample.value
        for namespace, counts in sorted(by_namespace.items()):
            total = counts.get("hit", 0) + counts.get("miss", 0)
            ratio.add_metric([namespace], counts.get("hit", 0) / total if total else 0.0)
        yield ratio


_registered = False


def register_shared_collector() -> None:
    global _registered
    if not _registered:
        REGISTRY.register(SharedCollector())
        _registered = True
