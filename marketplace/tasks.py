"""Celery tasks of the marketplace: fetch by id, call a service, safe to run twice."""

from celery import shared_task

from marketplace import services


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def alert_saved_searches(job_id: int) -> int:
    return services.saved_search_alerts_send(job_id=job_id)
