"""Scheduled work of analytics (scheduled in config/beat.py): call a service, safe to
run twice, retried with exponential backoff when the database hiccups."""

from celery import shared_task
from django.db import DatabaseError

from analytics import rollups


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def rollup_analytics() -> int:
    """Roll up every complete hour since the watermark (re-running an hour rewrites the same rows)."""
    return rollups.rollup_pending()
