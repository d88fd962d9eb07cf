"""Celery tasks of matching: fetch by id, call a service, safe to run twice."""

from celery import shared_task
from django.db import DatabaseError

from matcher import recommendations, services, weights


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def announce_job_matches(job_id: int) -> int:
    return services.job_matches_announce(job_id=job_id)


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3, expires=6 * 3600)
def rebuild_recommendations() -> dict:
    stats = recommendations.recommendations_rebuild()
    return {"seekers": stats.seekers, "jobs": stats.jobs, "stored": stats.stored, "seconds": round(stats.seconds, 1)}


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3, expires=6 * 3600)
def learn_match_weights() -> str:
    _, outcome = weights.weights_learn()
    return outcome
