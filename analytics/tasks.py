"""Scheduled work of analytics (run by beat, see migrations/0002_beat_schedule.py): call a service, safe to
run twice, retried with exponential backoff when the database hiccups."""

from celery import shared_task
from django.core.management import call_command
from django.db import DatabaseError

from analytics import rollups


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def rollup_analytics() -> int:
    """Roll up every complete hour since the watermark (re-running an hour rewrites the same rows)."""
    return rollups.rollup_pending()


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, retry_backoff_max=600, max_retries=3)
def clear_expired_sessions() -> None:
    """Django keeps sessions in PostgreSQL and never deletes expired ones by itself."""
    call_command("clearsessions")
