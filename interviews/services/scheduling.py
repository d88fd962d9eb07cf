"""Booking interviews: schedule, change (reschedule, panel), cancel.

Conflicts are checked twice: a read before writing gives the caller the
conflicting interviews' ids, and the exclusion constraint on Participant
settles the race that read cannot see (two bookings in flight at once):
PostgreSQL lets exactly one of them commit and the other gets the same 409.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone
from psycopg import errors as pg_errors

from accounts.models import User
from core.exceptions import Conflict
from interviews import selectors, signals
from interviews.choices import InterviewKind, InterviewStatus, ParticipantRole
from interviews.models import Interview, Participant
from interviews.zones import zone_error
from marketplace.choices import ApplicationStatus
from marketplace.models import Application, Job
from marketplace.services import application_change_status, can_manage_company
from marketplace.workflow import transition_error

MIN_DURATION, MAX_DURATION = 5, 8 * 60
MAX_INTERVIEWERS = 10


class InterviewConflict(Conflict):
    """409 `{"detail": "...", "conflicts": [ids]}`: someone is already booked at that time."""

    def __init__(self, *, detail: str, conflicts: list[int]):
        super().__init__()
        # Set after init: DRF would turn the ids into strings.
        self.detail = {"detail": detail, "conflicts": conflicts}
        self.conflicts = conflicts


def _check_time(*, scheduled_at: datetime, duration: int, now: datetime) -> None:
    if timezone.is_naive(scheduled_at):
        raise ValidationError({"scheduled_at": ["Give the time with its zone, e.g. 2026-01-01T09:00:00Z."]})
    if scheduled_at <= now:
        raise ValidationError({"scheduled_at": ["An interview must be scheduled in the future."]})
    if not MIN_DURATION <= duration <= MAX_DURATION:
        raise ValidationError({"duration": [f"Duration is in minutes, from {MIN_DURATION} to {MAX_DURATION}."]})


def _check_zone(name: str) -> None:
    error = zone_error(name)
    if error:
        raise ValidationError({"timezone": [error]})


def _clean_interviewers(interviewers: list[User], job: Job) -> list[User]:
    unique = list({user.pk: user for user in interviewers}.values())
    if not unique:
        raise ValidationError({"interviewer_ids": ["An interview needs at least one interviewer."]})
    if len(unique) > MAX_INTERVIEWERS:
        raise ValidationError({"interviewer_ids": [f"A panel has at most {MAX_INTERVIEWERS} interviewers."]})
    wrong = [u.pk for u in unique if not (u.is_active and can_manage_company(u, job.company))]
    if wrong:
        raise ValidationError(
            {"interviewer_ids": [f"Interviewers must be active recruiters of {job.company.name}: not {wrong}."]}
        )
    return unique


def _busy_detail(conflict_rows: list[Participant], candidate_id: int) -> str:
    busy = sorted({row.user for row in conflict_rows}, key=lambda user: user.pk)
    names = ["the candidate" if user.pk == candidate_id else user.full_name for user in busy]
    return f"Already booked at that time: {', '.join(names)}." if names else "Someone is already booked at that time."


def _raise_conflict(*, user_ids: list[int], start: datetime, end: datetime, candidate_id: int, exclude: int | None):
    rows = list(
        Participant.objects.filter(user_id__in=user_ids, active=True, during__overlap=(start, end))
        .exclude(interview_id=exclude)
        .select_related("user")
    )
    raise InterviewConflict(
        detail=_busy_detail(rows, candidate_id), conflicts=sorted({row.interview_id for row in rows})
    )


def _check_free(*, user_ids: list[int], start: datetime, end: datetime, candidate_id: int, exclude: int | None = None):
    if selectors.conflicting_interview_ids(user_ids=user_ids, start=start, end=end, exclude_interview_id=exclude):
        _raise_conflict(user_ids=user_ids, start=start, end=end, candidate_id=candidate_id, exclude=exclude)


def _is_slot_clash(exc: Exception) -> bool:
    cause = exc.__cause__
    return isinstance(cause, pg_errors.ExclusionViolation | pg_errors.DeadlockDetected)


def _write_slots(interview: Interview, *, new: list[tuple[int, str]], moved: list[Participant]) -> None:
    """Insert and move participant rows in user-id order (one lock order for every booking, so two of them
    wait for each other instead of deadlocking); a clash with a booking committed meanwhile is a 409."""
    during = DateTimeTZRange(interview.scheduled_at, interview.ends_at)
    everyone = sorted([(uid, role, None) for uid, role in new] + [(row.user_id, row.role, row) for row in moved])
    try:
        with transaction.atomic():
            for user_id, role, row in everyone:
                if row is None:
                    Participant.objects.create(interview=interview, user_id=user_id, role=role, during=during)
                else:
                    row.during = during
                    row.save(update_fields=["during"])
    except (IntegrityError, OperationalError) as exc:
        if not _is_slot_clash(exc):
            raise
        _raise_conflict(
            user_ids=[uid for uid, _, _ in everyone],
            start=interview.scheduled_at,
            end=interview.ends_at,
            candidate_id=interview.candidate_id,
            exclude=interview.pk,
        )


@transaction.atomic
def interview_schedule(
    *,
    actor: User,
    application: Application,
    scheduled_at: datetime,
    duration: int,
    interviewers: list[User] | None = None,
    recording_enabled: bool = False,
    timezone_name: str = "UTC",
    now: datetime | None = None,
) -> Interview:
    """Book an interview for an application, by a recruiter of the job's company; moves it to `interview`."""
    now = now or timezone.now()
    # Bookings of one application queue here, so its status is read once and moved once.
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("job__company", "candidate")
        .get(pk=application.pk)
    )
    job, candidate = application.job, application.candidate
    if not can_manage_company(actor, job.company):
        raise PermissionDenied(f"Only recruiters of {job.company.name} can schedule its interviews.")
    _check_time(scheduled_at=scheduled_at, duration=duration, now=now)
    _check_zone(timezone_name)
    if application.status != ApplicationStatus.INTERVIEW:
        error = transition_error(application.status, ApplicationStatus.INTERVIEW, as_candidate=False)
        if error:
            raise ValidationError({"application_id": [f"Cannot schedule an interview: {error}"]})
    if not candidate.is_active:
        raise ValidationError({"candidate_id": ["The candidate's account is not active."]})
    panel = _clean_interviewers(interviewers if interviewers is not None else [actor], job)
    ends_at = scheduled_at + timedelta(minutes=duration)
    user_ids = [candidate.pk, *(user.pk for user in panel)]
    _check_free(user_ids=user_ids, start=scheduled_at, end=ends_at, candidate_id=candidate.pk)

    interview = Interview.objects.create(
        application=application,
        job=job,
        candidate=candidate,
        organizer=actor,
        scheduled_at=scheduled_at,
        duration=duration,
        ends_at=ends_at,
        timezone=timezone_name,
        recording_enabled=recording_enabled,
    )
    roles = [(candidate.pk, ParticipantRole.CANDIDATE)] + [(u.pk, ParticipantRole.INTERVIEWER) for u in panel]
    _write_slots(interview, new=roles, moved=[])
    if application.status != ApplicationStatus.INTERVIEW:
        application_change_status(application=application, new_status=ApplicationStatus.INTERVIEW, actor=actor)
    signals.interview_scheduled.send(sender=Interview, interview=interview, actor=actor, user_ids=user_ids)
    return interview


def _lock(interview: Interview) -> Interview:
    return (
        Interview.objects.select_for_update(of=("self",))
        .select_related("job__company", "candidate")
        .get(pk=interview.pk)
    )


def _panel_change(
    rows: list[Participant], interviewers: list[User] | None, job: Job
) -> tuple[set[int], set[int], set[int]]:
    """The panel's user ids once changed (unchanged when `interviewers` is None), those added and those removed."""
    current = {row.user_id for row in rows if row.role == ParticipantRole.INTERVIEWER}
    panel = current if interviewers is None else {user.pk for user in _clean_interviewers(interviewers, job)}
    return panel, panel - current, current - panel


@transaction.atomic
def interview_update(
    *,
    interview: Interview,
    actor: User,
    scheduled_at: datetime | None = None,
    duration: int | None = None,
    interviewers: list[User] | None = None,
    recording_enabled: bool | None = None,
    timezone_name: str | None = None,
    now: datetime | None = None,
) -> Interview:
    """Reschedule or change the panel of a scheduled interview (conflict-checked); everyone affected is told.

    A change of time or attendees bumps the iCalendar SEQUENCE so calendars update the event in place.
    """
    now = now or timezone.now()
    interview = _lock(interview)
    if not can_manage_company(actor, interview.job.company):
        raise PermissionDenied("Only the company's recruiters can change this interview.")
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError({"detail": f"Only a scheduled interview can be changed; this one is {interview.status}."})
    old_start = interview.scheduled_at
    new_start = scheduled_at if scheduled_at is not None else interview.scheduled_at
    new_duration = duration if duration is not None else interview.duration
    time_changed = (new_start, new_duration) != (interview.scheduled_at, interview.duration)
    if time_changed:
        _check_time(scheduled_at=new_start, duration=new_duration, now=now)
    if timezone_name is not None:
        _check_zone(timezone_name)
        interview.timezone = timezone_name
    if recording_enabled is not None:
        interview.recording_enabled = recording_enabled

    rows = list(interview.participant_rows.filter(active=True))
    panel_ids, added, removed = _panel_change(rows, interviewers, interview.job)

    interview.scheduled_at, interview.duration = new_start, new_duration
    interview.ends_at = new_start + timedelta(minutes=new_duration)
    if time_changed or added or removed:
        interview.sequence += 1
        _check_free(
            user_ids=[interview.candidate_id, *sorted(panel_ids)],
            start=interview.scheduled_at,
            end=interview.ends_at,
            candidate_id=interview.candidate_id,
            exclude=interview.pk,
        )
    interview.save()
    Participant.objects.filter(interview=interview, user_id__in=removed).delete()
    kept = [row for row in rows if row.user_id not in removed]
    _write_slots(
        interview,
        new=[(uid, ParticipantRole.INTERVIEWER) for uid in sorted(added)],
        moved=kept if time_changed else [],
    )
    _announce_change(
        interview, actor=actor, moved_from=old_start if time_changed else None, kept=kept, added=added, removed=removed
    )
    return interview


def _announce_change(
    interview: Interview,
    *,
    actor: User,
    moved_from: datetime | None,
    kept: list[Participant],
    added: set[int],
    removed: set[int],
) -> None:
    """Whoever was booked before hears of a new time; interviewers added or removed hear of their own change."""
    if moved_from is not None:
        signals.interview_rescheduled.send(
            sender=Interview,
            interview=interview,
            actor=actor,
            user_ids=[row.user_id for row in kept],
            previous_scheduled_at=moved_from,
        )
    if added:
        signals.interview_scheduled.send(sender=Interview, interview=interview, actor=actor, user_ids=sorted(added))
    if removed:
        signals.interviewers_removed.send(sender=Interview, interview=interview, actor=actor, user_ids=sorted(removed))


def _cancel(interview: Interview, *, actor: User | None, reason: str, now: datetime) -> None:
    interview.status = InterviewStatus.CANCELLED
    interview.cancelled_at, interview.cancelled_by, interview.cancel_reason = now, actor, reason[:500]
    interview.sequence += 1
    interview.save()
    recipients = list(interview.participant_rows.values_list("user_id", flat=True))
    interview.participant_rows.update(active=False)
    signals.interview_cancelled.send(
        sender=Interview, interview=interview, actor=actor, user_ids=recipients, reason=reason
    )
    signals.interview_closed.send(sender=Interview, interview=interview)


@transaction.atomic
def interview_cancel(*, interview: Interview, actor: User, reason: str = "", now: datetime | None = None) -> Interview:
    """Cancel a scheduled interview (a participant or the company's recruiters); frees everyone's slot."""
    now = now or timezone.now()
    interview = _lock(interview)
    if interview.kind == InterviewKind.CALL:
        raise ValidationError({"detail": "A call from chat is declined or ended, not cancelled."})
    is_participant = interview.participant_rows.filter(user=actor).exists()
    if not (is_participant or can_manage_company(actor, interview.job.company)):
        raise PermissionDenied("Only the interview's participants or the company's recruiters can cancel it.")
    if interview.status == InterviewStatus.CANCELLED:
        return interview
    if interview.status != InterviewStatus.SCHEDULED:
        raise ValidationError(
            {"detail": f"Only a scheduled interview can be cancelled; this one is {interview.status}."}
        )
    _cancel(interview, actor=actor, reason=reason, now=now)
    return interview


@transaction.atomic
def interviews_cancel_for_application(
    *, application: Application, actor: User | None, reason: str, now: datetime | None = None
) -> int:
    """Cancel the application's interviews still to come (it was withdrawn or rejected): no slot stays booked
    and no reminder goes out for an application that is over. The number cancelled."""
    now = now or timezone.now()
    upcoming = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("job__company", "candidate")
        .filter(application=application, status=InterviewStatus.SCHEDULED)
        .order_by("pk")
    )
    cancelled = 0
    for interview in upcoming:
        _cancel(interview, actor=actor, reason=reason, now=now)
        cancelled += 1
    return cancelled
