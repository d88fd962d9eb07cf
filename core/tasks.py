"""Housekeeping of the platform (scheduled in config/beat.py): safe to run twice, retried with backoff."""

from celery import shared_task
from django.core.management import call_command
from django.db import DatabaseError

from core.mail.tasks import prune_sent_mail, requeue_stuck_mail, send_mail


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, retry_backoff_max=600, max_retries=3)
def clear_expired_sessions() -> None:
    """Django keeps sessions in PostgreSQL and never deletes expired ones by itself."""
    call_command("clearsessions")


# The mail tasks live with the mail code; importing them here registers them with the worker (it autodiscovers
# `<app>.tasks` modules only).
__all__ = ["clear_expired_sessions", "prune_sent_mail", "requeue_stuck_mail", "send_mail"]
