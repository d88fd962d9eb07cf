"""Celery tasks of the notifications app: fetch by id, call the broadcaster or a service, safe to rerun."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from notifications.broadcaster import broadcaster
from notifications.mailing import digests_send
from notifications.services import notifications_prune


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
    return notifications_prune(older_than=timezone.now() - timedelta(days=settings.KAZI_NOTIFICATION_RETENTION_DAYS))


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3, expires=50)
def send_email_digests() -> int:
    """The offline digest of every due user (notifications/mailing.py); safe to run twice (cursor per user)."""
    return digests_send(now=timezone.now())
