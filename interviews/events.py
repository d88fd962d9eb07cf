"""The interview events in the contract's shapes, published through the broadcaster by the services."""

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from interviews.models import Interview
from notifications.broadcaster import broadcaster
from notifications.frames import iso
from notifications.models import Priority


def _local(moment: datetime, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime(f"%a %d %b %Y %H:%M ({zone})")


def _payload(interview: Interview, **extra) -> dict:
    job = interview.job
    return {
        "interview_id": str(interview.pk),
        "job_id": str(job.pk),
        "job_title": job.title,
        "company": job.company.name,
        "scheduled_at": iso(interview.scheduled_at),
        "ends_at": iso(interview.ends_at),
        "duration": interview.duration,
        "timezone": interview.timezone,
        "calendar_url": f"/api/interview/{interview.pk}/calendar.ics",
        **extra,
    }


def interview_scheduled(
    interview: Interview, *, recipients: Iterable[int], previous_scheduled_at: datetime | None = None
) -> None:
    """A new interview, or a moved one (`data.rescheduled` true, with the old start)."""
    when = _local(interview.scheduled_at, interview.timezone)
    rescheduled = previous_scheduled_at is not None
    title = "Interview rescheduled" if rescheduled else "Interview scheduled"
    broadcaster.publish(
        user_ids=recipients,
        event_type="notification",
        notification_type="interview_scheduled",
        title=title,
        message=f"{title}: {interview.job.title} at {interview.job.company.name}, {when}",
        priority=Priority.HIGH,
        payload=_payload(
            interview,
            rescheduled=rescheduled,
            previous_scheduled_at=iso(previous_scheduled_at) if rescheduled else None,
            sequence=interview.sequence,
        ),
        related=interview,
    )


def interview_cancelled(interview: Interview, *, recipients: Iterable[int], reason: str = "") -> None:
    when = _local(interview.scheduled_at, interview.timezone)
    broadcaster.publish(
        user_ids=recipients,
        event_type="notification",
        notification_type="interview_cancelled",
        title="Interview cancelled",
        message=f"Interview cancelled: {interview.job.title} at {interview.job.company.name}, {when}",
        priority=Priority.HIGH,
        payload=_payload(interview, reason=reason, sequence=interview.sequence),
        related=interview,
    )


def interview_reminder(interview: Interview, *, recipients: Iterable[int], minutes_before: int) -> None:
    """The contract's `interview_reminder`: `interview_id`, `scheduled_at`, `minutes_before` (and more)."""
    lead = f"{minutes_before // 60} hours" if minutes_before >= 120 else f"{minutes_before} minutes"
    broadcaster.publish(
        user_ids=recipients,
        event_type="interview_reminder",
        message=f"Your interview for {interview.job.title} starts in {lead}",
        priority=Priority.HIGH,
        payload=_payload(interview, minutes_before=minutes_before),
        related=interview,
    )
