"""Celery tasks of outgoing mail: by id, through core/mail/sending.py, safe to run twice."""

import smtplib
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from core.mail.sending import mail_prune, mail_requeue_stuck, mail_retry_failed, mail_send

# SMTPServerDisconnected and every other SMTP error are SMTPException; refused or timed-out connections OSError.
_RETRY_ON = (smtplib.SMTPException, OSError, DatabaseError)


@shared_task(acks_late=True, autoretry_for=_RETRY_ON, retry_backoff=30, retry_backoff_max=600, max_retries=6)
def send_mail(*, mail_id: int) -> bool:
    return mail_send(mail_id=mail_id)


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3, expires=50)
def requeue_stuck_mail() -> int:
    ids = mail_requeue_stuck()
    for mail_id in ids:
        send_mail.delay(mail_id=mail_id)
    return len(ids)


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3, expires=6 * 3600)
def prune_sent_mail() -> int:
    return mail_prune(older_than=timezone.now() - timedelta(days=settings.KAZI_EMAIL_KEEP_DAYS))


def send_failed_again(*, mail_ids: list[int]) -> int:
    """Failed mail back to pending and each handed to a send task (the admin's action)."""
    ids = mail_retry_failed(mail_ids=mail_ids)
    for mail_id in ids:
        send_mail.delay(mail_id=mail_id)
    return len(ids)
