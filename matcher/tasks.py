"""Celery tasks of the marketplace: fetch by id, call a service, safe to run twice."""

from celery import Task, shared_task
from django.db import DatabaseError

from matcher import matching, recommendations
from matcher.resumes import parsing


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def announce_job_matches(job_id: int) -> int:
    return matching.announce_matches(job_id)


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3, expires=6 * 3600)
def rebuild_recommendations() -> dict:
    stats = recommendations.recommendations_rebuild()
    return {"seekers": stats.seekers, "jobs": stats.jobs, "stored": stats.stored, "seconds": round(stats.seconds, 1)}


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3, expires=6 * 3600)
def learn_match_weights() -> str:
    _, outcome = matching.weights_learn()
    return outcome


class _ParseTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Retries are spent: end the document in `failed` so its owner and watchers hear about it.
        parsing.document_parse_abandon(document_id=kwargs.get("document_id") or args[0], error=str(exc))


@shared_task(
    base=_ParseTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=True,
    retry_backoff_max=120,
    max_retries=5,
)
def parse_resume(document_id: str) -> str:
    document = parsing.document_parse(document_id=document_id)
    return document.status if document is not None else "missing"
