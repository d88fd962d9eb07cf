"""Scheduled work of analytics (scheduled in config/beat.py): call a service, safe to
run twice, retried with exponential backoff when the database hiccups."""

from celery import shared_task
from django.db import DatabaseError

from analytics import events, live, rollups


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def rollup_analytics() -> int:
    """Roll up every complete hour since the watermark (re-running an hour rewrites the same rows)."""
    return rollups.rollup_pending()


@shared_task(acks_late=True)
def announce_dashboards(company_id: int) -> None:
    """The throttled `analytics_updated` frame of one company (analytics/live.py)."""
    live.dashboard_frame_release(company_id=company_id)
    events.dashboards_updated(company_id=company_id)
