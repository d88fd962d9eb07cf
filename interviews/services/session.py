"""The interview session: who is in the room and when, and the status it moves through.

scheduled → in_progress (first join) → completed (a recruiter of the job ends it, or the periodic task
closes it after the end of its slot); scheduled → no_show when nobody joined within the grace period;
in_progress → no_show when, at the end, one side never came. Leaving never ends it: a dropped network
or a short break must leave the room open to come back to until the slot is over.
"""

import json
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from interviews import quality, selectors, signals
from interviews.choices import InterviewKind, InterviewStatus, ParticipantRole
from interviews.models import Attendance, ConnectionQualityReport, Interview, Participant
from interviews.services.calls import call_after_leave, call_end, ring_over
from interviews.windows import OVERRUN_LIMIT, join_error

MAX_RAW_REPORT_BYTES = 4096


def _lock(interview: Interview) -> Interview:
    return Interview.objects.select_for_update(of=("self",)).select_related("job").get(pk=interview.pk)


def _role(interview: Interview, user: User) -> str:
    role = Participant.objects.filter(interview=interview, user=user).values_list("role", flat=True).first()
    if role is None:
        raise PermissionDenied("Only the interview's candidate and interviewers take part in it.")
    return role


def _both_sides_came(interview: Interview) -> bool:
    came = set(Attendance.objects.filter(interview=interview).values_list("user_id", flat=True))
    roles = dict(Participant.objects.filter(interview=interview).values_list("user_id", "role"))
    return interview.candidate_id in came and any(roles.get(uid) == ParticipantRole.INTERVIEWER for uid in came)


def _close(interview: Interview, *, status: str, now: datetime) -> None:
    """Finish the session: nobody stays in the room and the participants' time is free again."""
    Attendance.objects.filter(interview=interview, left_at__isnull=True).update(left_at=now)
    interview.status, interview.ended_at = status, now
    interview.save(update_fields=["status", "ended_at", "updated_at"])
    Participant.objects.filter(interview=interview).update(active=False)
    if status == InterviewStatus.COMPLETED and interview.kind == InterviewKind.INTERVIEW:
        signals.interview_completed.send(sender=Interview, interview=interview)
    signals.interview_closed.send(sender=Interview, interview=interview)


@transaction.atomic
def interview_join(*, interview: Interview, user: User, now: datetime | None = None) -> Interview:
    """Enter the room (open from 15 minutes before the start until the end); joining twice is harmless."""
    now = now or timezone.now()
    interview = _lock(interview)
    _role(interview, user)
    error = join_error(status=interview.status, scheduled_at=interview.scheduled_at, ends_at=interview.ends_at, now=now)
    if error:
        raise ValidationError({"detail": error})
    if (
        interview.kind == InterviewKind.CALL
        and interview.status == InterviewStatus.SCHEDULED
        and ring_over(interview, now)
    ):
        raise ValidationError({"detail": "This call was not answered in time."})
    if not Attendance.objects.filter(interview=interview, user=user, left_at__isnull=True).exists():
        Attendance.objects.create(interview=interview, user=user, joined_at=now)
    # A call rings (stays scheduled) until the callee is in; an interview starts with its first person.
    answered = interview.kind == InterviewKind.INTERVIEW or user.pk == interview.candidate_id
    if interview.status == InterviewStatus.SCHEDULED and answered:
        interview.status, interview.started_at = InterviewStatus.IN_PROGRESS, now
        interview.save(update_fields=["status", "started_at", "updated_at"])
    return interview


@transaction.atomic
def interview_leave(*, interview: Interview, user: User, now: datetime | None = None) -> Interview:
    """Leave the room. The interview goes on (the last one out included): see the module's docstring."""
    now = now or timezone.now()
    interview = _lock(interview)
    _role(interview, user)
    Attendance.objects.filter(interview=interview, user=user, left_at__isnull=True).update(left_at=now)
    if interview.kind == InterviewKind.CALL:
        call_after_leave(interview, user=user, now=now)
    return interview


@transaction.atomic
def interview_end(*, interview: Interview, actor: User, now: datetime | None = None) -> Interview:
    """A recruiter of the job ends an interview in progress: completed for everyone, the room closes."""
    now = now or timezone.now()
    interview = _lock(interview)
    if not selectors.can_end(actor, interview):
        raise PermissionDenied("Only the job's recruiters can end this interview.")
    if interview.kind == InterviewKind.CALL and interview.status in (
        InterviewStatus.SCHEDULED,
        InterviewStatus.IN_PROGRESS,
    ):
        call_end(interview, now=now)
        return interview
    if interview.status == InterviewStatus.SCHEDULED:
        raise ValidationError({"detail": "This interview has not started: cancel it instead."})
    if interview.status != InterviewStatus.IN_PROGRESS:
        raise ValidationError({"detail": f"This interview is {interview.status.replace('_', ' ')} already."})
    _close(interview, status=InterviewStatus.COMPLETED, now=now)
    return interview


def interviews_close_stale(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic close: no-shows after the grace period, finished sessions after their end.

    Each interview is claimed with SKIP LOCKED in its own transaction, so overlapping runs share the work.
    """
    now = now or timezone.now()
    grace = timedelta(minutes=settings.KAZI_INTERVIEW_NO_SHOW_MINUTES)
    counts = {InterviewStatus.NO_SHOW.value: 0, InterviewStatus.COMPLETED.value: 0}
    interviews = Interview.objects.filter(kind=InterviewKind.INTERVIEW)  # calls close their own way
    unattended = interviews.filter(status=InterviewStatus.SCHEDULED, scheduled_at__lte=now - grace)
    for pk in unattended.values_list("pk", flat=True):
        with transaction.atomic():
            interview = (
                Interview.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=InterviewStatus.SCHEDULED)
                .first()
            )
            if interview is not None:
                _close(interview, status=InterviewStatus.NO_SHOW, now=now)
                counts[InterviewStatus.NO_SHOW] += 1
    overdue = interviews.filter(status=InterviewStatus.IN_PROGRESS, ends_at__lte=now)
    for pk in overdue.values_list("pk", flat=True):
        with transaction.atomic():
            interview = (
                Interview.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=InterviewStatus.IN_PROGRESS)
                .select_related("candidate")
                .first()
            )
            if interview is None:
                continue
            someone_inside = Attendance.objects.filter(interview=interview, left_at__isnull=True).exists()
            if someone_inside and now < interview.ends_at + OVERRUN_LIMIT:
                continue  # Running over: give it until the overrun limit.
            status = InterviewStatus.COMPLETED if _both_sides_came(interview) else InterviewStatus.NO_SHOW
            _close(interview, status=status, now=now)
            counts[status] += 1
    return counts


def connection_quality_record(
    *, interview: Interview, user: User, stats: dict, now: datetime | None = None
) -> ConnectionQualityReport:
    """Store a participant's connection report (`round_trip_ms, jitter_ms, packet_loss_percent,
    bitrate_kbps`, optional `quality`, anything else kept as `raw`)."""
    _role(interview, user)
    if not isinstance(stats, dict):
        raise ValidationError({"detail": "A connection report is a JSON object."})
    metrics, errors = quality.clean_metrics(stats)
    given = stats.get("quality")
    if given is not None and given not in quality.ConnectionQuality.values:
        errors.append(f"quality must be one of {', '.join(quality.ConnectionQuality.values)}.")
    raw = {key: value for key, value in stats.items() if key not in (*quality.METRICS, "quality", "type")}
    if len(json.dumps(raw, default=str)) > MAX_RAW_REPORT_BYTES:
        errors.append(f"A connection report is at most {MAX_RAW_REPORT_BYTES} bytes.")
    if errors:
        raise ValidationError({"detail": " ".join(errors)})
    return ConnectionQualityReport.objects.create(
        interview=interview,
        user=user,
        quality=given or quality.grade(**metrics),
        raw=raw,
        reported_at=now or timezone.now(),
        **metrics,
    )
