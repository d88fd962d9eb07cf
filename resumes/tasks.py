"""Celery tasks of resume import: fetch by id, call a service, safe to run twice."""

from celery import Task, shared_task
from django.db import DatabaseError

from resumes import parsing


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
