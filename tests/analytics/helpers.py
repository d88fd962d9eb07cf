from datetime import UTC, datetime, timedelta

from analytics.models import Event, EventHourlyCount, EventSource, JobHourlyStats, JobViewer, UserHourlyStats
from analytics.services import event_record

HOUR = datetime(2026, 1, 5, 10, tzinfo=UTC)


def at(minutes: int, hour: datetime = HOUR) -> datetime:
    return hour + timedelta(minutes=minutes)


def record(event_type, user=None, job=None, minute=0, hour=HOUR, source=EventSource.CLIENT, **metadata) -> Event:
    return event_record(
        event_type=event_type,
        user=user,
        job_id=job.pk if job is not None else None,
        metadata=metadata,
        source=source,
        created_at=at(minute, hour),
    )


def snapshot() -> dict:
    """Every rollup row, ids included: what must not change when an hour is rolled up again."""
    return {
        model.__name__: sorted(model.objects.values_list(), key=lambda row: row[0])
        for model in (JobHourlyStats, JobViewer, UserHourlyStats, EventHourlyCount)
    }
