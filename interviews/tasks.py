"""Interview work in the worker: periodic (see config/beat.py) or queued by id; each calls a service and is safe to
run twice."""

from celery import shared_task

from interviews import services


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3, expires=300)
def send_interview_reminders() -> int:
    return services.reminders_send_due()


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3, expires=300)
def close_stale_interviews() -> dict:
    return {**services.interviews_close_stale(), "calls": services.calls_close_stale()}


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def finalize_recording(*, recording_id: int) -> str | None:
    recording = services.recording_finalize(recording_id=recording_id)
    return recording.status if recording else None


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3, expires=50)
def sweep_recordings() -> dict:
    """Assemble what abandoned recordings uploaded, and the assemblies whose task was lost."""
    closed = services.recordings_close_abandoned()
    stuck = services.recordings_stuck_finalizing()
    for recording_id in stuck:
        finalize_recording.delay(recording_id=recording_id)
    return {"abandoned": closed, "requeued": len(stuck)}


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3, expires=6 * 3600)
def delete_expired_recordings() -> int:
    return services.recordings_delete_expired()
