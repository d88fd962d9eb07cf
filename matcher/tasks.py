"""Celery tasks of matching: fetch by id, call a service, safe to run twice."""

from celery import group, shared_task
from django.conf import settings
from django.db import DatabaseError

from matcher import recommendations, services, weights
from matcher.models import RecommendationRebuild


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def announce_job_matches(job_id: int) -> int:
    return services.job_matches_announce(job_id=job_id)


@shared_task(
    bind=True, acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3, expires=6 * 3600
)
def rebuild_recommendations(self) -> dict:
    """The nightly rebuild's coordinator: cuts the active seekers into chunks and queues one task each, so
    every worker takes a share. A redelivered coordinator finds its run by task id and does not queue twice."""
    run = recommendations.recommendations_rebuild_start(
        chunk_seekers=settings.KAZI_REBUILD_CHUNK_SEEKERS, task_id=self.request.id
    )
    dispatch_rebuild(run)
    return {"rebuild": run.pk, "chunks": run.chunk_count}


def dispatch_rebuild(run: RecommendationRebuild) -> None:
    """Queue the chunks of a run not queued yet (the coordinator's, or manage.py rebuild_recommendations --celery)."""
    if run.dispatched_at is not None:
        return
    group(rebuild_recommendations_chunk.si(chunk.pk) for chunk in run.chunks.order_by("index")).apply_async()
    # Marked after queueing: a crash in between queues the chunks twice, which costs time but no wrong row.
    recommendations.recommendations_rebuild_dispatched(rebuild=run)


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5, expires=6 * 3600)
def rebuild_recommendations_chunk(chunk_id: int) -> dict | None:
    stats = recommendations.recommendations_rebuild_chunk(chunk_id=chunk_id)
    if stats is None:
        return None
    return {"seekers": stats.seekers, "stored": stats.stored, "removed": stats.removed, "seconds": stats.seconds}


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3, expires=6 * 3600)
def learn_match_weights() -> str:
    _, outcome = weights.weights_learn()
    return outcome
