"""Calls from chat: the interview room without an application or a schedule.

A call is an Interview of kind `call`: `scheduled` while it rings, `in_progress` once someone is in the
room, `completed` when its last person leaves (or either ends it), `cancelled` when it is declined or
nobody answers within KAZI_CALL_RING_SECONDS (a missed call). Its participant rows hold no time
(`active` off), so a call never clashes with a booked interview.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from interviews import signals
from interviews.choices import InterviewKind, InterviewStatus, ParticipantRole
from interviews.models import Attendance, Interview, Participant

MISSED = "missed"
DECLINED = "declined"


def ring_over(interview: Interview, now: datetime) -> bool:
    return now >= interview.scheduled_at + timedelta(seconds=settings.KAZI_CALL_RING_SECONDS)


def call_open(*, caller: User, callee: User, conversation_id) -> Interview | None:
    """The call of this conversation that still rings or runs, if any (a second "Video call" joins it)."""
    return (
        Interview.objects.filter(
            kind=InterviewKind.CALL,
            chat_conversation_id=conversation_id,
            status__in=(InterviewStatus.SCHEDULED, InterviewStatus.IN_PROGRESS),
            ends_at__gt=timezone.now(),
        )
        .order_by("-scheduled_at")
        .first()
    )


@transaction.atomic
def call_start(*, caller: User, callee: User, conversation_id, now: datetime | None = None) -> Interview:
    """Ring `callee`: a new call (the caller's and the callee's rows, holding no time)."""
    now = now or timezone.now()
    ends_at = now + timedelta(minutes=settings.KAZI_CALL_MAX_MINUTES)
    interview = Interview.objects.create(
        kind=InterviewKind.CALL,
        chat_conversation_id=conversation_id,
        candidate=callee,
        organizer=caller,
        scheduled_at=now,
        duration=settings.KAZI_CALL_MAX_MINUTES,
        ends_at=ends_at,
    )
    Participant.objects.bulk_create(
        Participant(interview=interview, user=user, role=role, during=(now, ends_at), active=False)
        for user, role in ((caller, ParticipantRole.CALLER), (callee, ParticipantRole.CALLEE))
    )
    return interview


def _finish(interview: Interview, *, status: str, reason: str, now: datetime) -> None:
    Attendance.objects.filter(interview=interview, left_at__isnull=True).update(left_at=now)
    interview.status, interview.ended_at = status, now
    interview.cancel_reason = reason
    interview.save(update_fields=["status", "ended_at", "cancel_reason", "updated_at"])
    signals.call_finished.send(sender=Interview, interview=interview)
    signals.interview_closed.send(sender=Interview, interview=interview)


@transaction.atomic
def call_decline(*, interview: Interview, user: User, now: datetime | None = None) -> Interview:
    """The callee declines (or their page gave up ringing), or the caller hangs up before an answer: missed."""
    now = now or timezone.now()
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    if interview.kind != InterviewKind.CALL:
        raise ValidationError({"detail": "Only a call can be declined; cancel an interview instead."})
    if not Participant.objects.filter(interview=interview, user=user).exists():
        raise PermissionDenied("Only the two people of the call can decline it.")
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError({"detail": f"This call is {interview.status.replace('_', ' ')}: it no longer rings."})
    reason = DECLINED if user.pk == interview.candidate_id else MISSED
    _finish(interview, status=InterviewStatus.CANCELLED, reason=reason, now=now)
    return interview


def call_after_leave(interview: Interview, *, user: User, now: datetime) -> None:
    """A call is over when its last person leaves (a phone call: nobody holds the line open); a caller who
    hangs up while it still rings leaves a missed call."""
    if interview.status == InterviewStatus.SCHEDULED and user.pk == interview.organizer_id:
        _finish(interview, status=InterviewStatus.CANCELLED, reason=MISSED, now=now)
    elif (
        interview.status == InterviewStatus.IN_PROGRESS
        and not Attendance.objects.filter(interview=interview, left_at__isnull=True).exists()
    ):
        _finish(interview, status=InterviewStatus.COMPLETED, reason="", now=now)


def call_end(interview: Interview, *, now: datetime) -> None:
    _finish(interview, status=InterviewStatus.COMPLETED, reason="", now=now)


def calls_close_stale(*, now: datetime | None = None) -> int:
    """Unanswered calls past their ring time become missed; calls past their longest length end."""
    now = now or timezone.now()
    count = 0
    ringing = Interview.objects.filter(kind=InterviewKind.CALL, status=InterviewStatus.SCHEDULED)
    running = Interview.objects.filter(kind=InterviewKind.CALL, status=InterviewStatus.IN_PROGRESS, ends_at__lte=now)
    for pk in [*ringing.values_list("pk", flat=True), *running.values_list("pk", flat=True)]:
        with transaction.atomic():
            call = Interview.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if call is None:
                continue
            if call.status == InterviewStatus.SCHEDULED and ring_over(call, now):
                _finish(call, status=InterviewStatus.CANCELLED, reason=MISSED, now=now)
                count += 1
            elif call.status == InterviewStatus.IN_PROGRESS and call.ends_at <= now:
                _finish(call, status=InterviewStatus.COMPLETED, reason="", now=now)
                count += 1
    return count


def call_minutes(interview: Interview) -> int:
    """How long both were on the line: from the callee's first join to the end, at least 1 minute."""
    answered = (
        Attendance.objects.filter(interview=interview, user_id=interview.candidate_id)
        .order_by("joined_at")
        .values_list("joined_at", flat=True)
        .first()
    )
    if answered is None or interview.ended_at is None:
        return 0
    return max(1, round((interview.ended_at - answered).total_seconds() / 60))
