"""Periodic interview work (beat runs both every 5 minutes): each calls a service and is safe to run twice."""

from celery import shared_task

from interviews import services


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3, expires=300)
def send_interview_reminders() -> int:
    return services.reminders_send_due()


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3, expires=300)
def close_stale_interviews() -> dict:
    return {**services.interviews_close_stale(), "calls": services.calls_close_stale()}
