"""Celery tasks of accounts: each calls a service, safe to run twice."""

from celery import shared_task
from django.db import DatabaseError

from accounts.services import tokens_flush_expired


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def flush_expired_tokens() -> int:
    return tokens_flush_expired()
