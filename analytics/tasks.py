"""Scheduled work of analytics (scheduled in config/beat.py): call a service, safe to
run twice, retried with exponential backoff when the database hiccups."""

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from analytics import events, live, rollups, weekly_report


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def rollup_analytics() -> int:
    """Roll up every complete hour since the watermark (re-running an hour rewrites the same rows)."""
    return rollups.rollup_pending()


@shared_task(acks_late=True)
def announce_dashboards(company_id: int) -> None:
    """The throttled `analytics_updated` frame of one company (analytics/live.py)."""
    live.dashboard_frame_release(company_id=company_id)
    events.dashboards_updated(company_id=company_id)


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, retry_backoff_max=600, max_retries=5)
def send_weekly_reports() -> int:
    """Last week's report to every company's recruiters; a rerun mails nobody twice (one key per recruiter and
    week)."""
    week = weekly_report.last_full_week(timezone.now())
    return sum(weekly_report.weekly_report_send(company, week) for company in weekly_report.companies_to_report())
