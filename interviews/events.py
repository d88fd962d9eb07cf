"""Who hears what of interviews, in the contract's shapes: receivers of its signals that call the broadcaster.

Whoever made a change is not told of it."""

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from interviews import signals
from interviews.choices import InterviewStatus
from interviews.invites import RECORDING_NOTICE, interview_invite
from interviews.models import Interview
from interviews.recording_models import Recording
from notifications import groups
from notifications.broadcaster import broadcaster
from notifications.frames import iso
from notifications.mailing import notification_mail_now
from notifications.models import Notification, Priority


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


def _mail_now(interview: Interview, stored: list[Notification], *, invite: bool, cancelled: bool = False) -> None:
    """Interview news is urgent: mailed at once (not in the digest), with the .ics when `invite`, so the
    recipient's calendar adds, moves (same UID, higher SEQUENCE) or removes (METHOD:CANCEL) the event."""
    room_url = f"{settings.KAZI_SITE_URL}/interview/{interview.pk}/"
    attachments = ()
    if invite:
        ics = interview_invite(interview, room_url=room_url, now=timezone.now(), cancelled=cancelled)
        method = "CANCEL" if cancelled or interview.status == InterviewStatus.CANCELLED else "REQUEST"
        attachments = ((f"interview-{interview.pk}.ics", ics, f"text/calendar; method={method}"),)
    for notification in stored:
        notification_mail_now(notification=notification, context={"url": room_url}, attachments=attachments)


def _others(user_ids: Iterable[int], actor) -> list[int]:
    actor_id = actor.pk if actor is not None else None
    return [uid for uid in user_ids if uid != actor_id]


def _publish_scheduled(interview: Interview, *, recipients: list[int], previous_scheduled_at: datetime | None) -> None:
    """A new interview, or a moved one (`data.rescheduled` true, with the old start)."""
    when = _local(interview.scheduled_at, interview.timezone)
    rescheduled = previous_scheduled_at is not None
    title = "Interview rescheduled" if rescheduled else "Interview scheduled"
    # The candidate must know before the call that it may be recorded (the .ics says it too).
    recorded = f". {RECORDING_NOTICE}" if interview.recording_enabled else ""
    stored = broadcaster.publish(
        user_ids=recipients,
        event_type="notification",
        notification_type="interview_scheduled",
        title=title,
        message=f"{title}: {interview.job.title} at {interview.job.company.name}, {when}{recorded}",
        priority=Priority.HIGH,
        payload=_payload(
            interview,
            rescheduled=rescheduled,
            previous_scheduled_at=iso(previous_scheduled_at) if rescheduled else None,
            sequence=interview.sequence,
            recording_enabled=interview.recording_enabled,
        ),
        related=interview,
    )
    _mail_now(interview, stored, invite=True)


def _publish_cancelled(interview: Interview, *, recipients: list[int], reason: str) -> None:
    when = _local(interview.scheduled_at, interview.timezone)
    stored = broadcaster.publish(
        user_ids=recipients,
        event_type="notification",
        notification_type="interview_cancelled",
        title="Interview cancelled",
        message=f"Interview cancelled: {interview.job.title} at {interview.job.company.name}, {when}",
        priority=Priority.HIGH,
        payload=_payload(interview, reason=reason, sequence=interview.sequence),
        related=interview,
    )
    _mail_now(interview, stored, invite=True, cancelled=True)


def on_interview_scheduled(sender, interview: Interview, actor, user_ids: Iterable[int], **kwargs) -> None:
    _publish_scheduled(interview, recipients=_others(user_ids, actor), previous_scheduled_at=None)


def on_interview_rescheduled(
    sender, interview: Interview, actor, user_ids: Iterable[int], previous_scheduled_at: datetime, **kwargs
) -> None:
    _publish_scheduled(interview, recipients=_others(user_ids, actor), previous_scheduled_at=previous_scheduled_at)


def on_interviewers_removed(sender, interview: Interview, actor, user_ids: Iterable[int], **kwargs) -> None:
    # To them it is cancelled; the interview itself goes on.
    _publish_cancelled(interview, recipients=_others(user_ids, actor), reason="Removed from the panel.")


def on_interview_cancelled(sender, interview: Interview, actor, user_ids: Iterable[int], reason: str, **kwargs) -> None:
    _publish_cancelled(interview, recipients=_others(user_ids, actor), reason=reason)


def on_interview_reminder_due(
    sender, interview: Interview, user_ids: Iterable[int], minutes_before: int, **kwargs
) -> None:
    """The contract's `interview_reminder`: `interview_id`, `scheduled_at`, `minutes_before` (and more)."""
    lead = f"{minutes_before // 60} hours" if minutes_before >= 120 else f"{minutes_before} minutes"
    stored = broadcaster.publish(
        user_ids=user_ids,
        event_type="interview_reminder",
        message=f"Your interview for {interview.job.title} starts in {lead}",
        priority=Priority.HIGH,
        payload=_payload(interview, minutes_before=minutes_before),
        related=interview,
    )
    _mail_now(interview, stored, invite=False)


def on_recording_started(sender, recording: Recording, actor, **kwargs) -> None:
    """Everyone in the room sees that the call is being recorded (a frame of ws/interviews/{id}/, not stored)."""
    broadcaster.publish_transient(
        to_groups=[groups.interview_group(recording.interview_id)],
        frame={
            "type": "recording_started",
            "interview_id": str(recording.interview_id),
            "recording_id": str(recording.pk),
            "started_by": {"user_id": str(actor.pk), "name": actor.full_name},
            "started_at": iso(recording.started_at),
        },
    )


def on_recording_stopped(sender, recording: Recording, actor, **kwargs) -> None:
    broadcaster.publish_transient(
        to_groups=[groups.interview_group(recording.interview_id)],
        frame={
            "type": "recording_stopped",
            "interview_id": str(recording.interview_id),
            "recording_id": str(recording.pk),
            "stopped_at": iso(recording.stopped_at),
            # True when no recruiter stopped it: the recorder's page went away and the sweep closed it.
            "abandoned": recording.abandoned,
        },
    )


def on_interview_closed(sender, interview: Interview, **kwargs) -> None:
    """Tell the room's sockets, which then close (4410): nobody stays in a call that is over."""
    broadcaster.publish_transient(
        to_groups=[groups.interview_group(interview.pk)],
        frame={"type": "room_closed", "interview_id": str(interview.pk), "status": interview.status},
    )


def connect() -> None:
    signals.recording_started.connect(on_recording_started, dispatch_uid="interviews.events.recording_started")
    signals.recording_stopped.connect(on_recording_stopped, dispatch_uid="interviews.events.recording_stopped")
    signals.interview_closed.connect(on_interview_closed, dispatch_uid="interviews.events.closed")
    signals.interview_scheduled.connect(on_interview_scheduled, dispatch_uid="interviews.events.scheduled")
    signals.interview_rescheduled.connect(on_interview_rescheduled, dispatch_uid="interviews.events.rescheduled")
    signals.interviewers_removed.connect(on_interviewers_removed, dispatch_uid="interviews.events.interviewers_removed")
    signals.interview_cancelled.connect(on_interview_cancelled, dispatch_uid="interviews.events.cancelled")
    signals.interview_reminder_due.connect(on_interview_reminder_due, dispatch_uid="interviews.events.reminder_due")
