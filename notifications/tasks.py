"""Celery tasks of the notifications app: fetch by id, call the broadcaster or a service, safe to rerun."""

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from notifications.broadcaster import broadcaster
from notifications.mailing import digests_send
from notifications.selectors import retention_floor
from notifications.services import event_log_partitions_ensure, notifications_prune


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def notify_users(
    *, user_ids: list[int], message: str, title: str = "", notification_type: str = "info", priority: str = "normal"
) -> int:
    """One generic notification per user, all in one transaction and one fan-out."""
    return len(
        broadcaster.publish(
            user_ids=user_ids,
            event_type="notification",
            notification_type=notification_type,
            title=title or message[:80],
            message=message,
            priority=priority,
        )
    )


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3, expires=3600)
def prune_old_notifications() -> int:
    """Drop the event log's day partitions past the retention. The cutoff is rounded down to a day's start so
    that no partition is left half old, to be DELETEd row by row: an event is kept up to a day past it."""
    return notifications_prune(older_than=retention_floor())


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3, expires=50 * 60)
def ensure_event_log_partitions() -> list[str]:
    """Today's partition of the event log and AHEAD_DAYS more; safe to run any time (makes only what is missing)."""
    return event_log_partitions_ensure()


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3, expires=50)
def send_email_digests() -> int:
    """The offline digest of every due user (notifications/mailing.py); safe to run twice (cursor per user)."""
    return digests_send(now=timezone.now())
