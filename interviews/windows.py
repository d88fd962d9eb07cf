"""When things may happen to an interview: the time rules, pure (no database, the clock passed in)."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from interviews.choices import InterviewStatus

# The contract: the room (and assessments) open this long before the start.
JOIN_OPENS_BEFORE = timedelta(minutes=15)
# A reminder whose moment passed longer ago than this is dropped rather than sent late (a booking made
# two hours ahead gets no "24 hours before" reminder; a worker that was down an hour catches up).
REMINDER_LATE_BOUND = timedelta(minutes=60)
# An interview still in progress this long after its end is closed even if someone never left.
OVERRUN_LIMIT = timedelta(minutes=60)


def join_opens_at(scheduled_at: datetime) -> datetime:
    return scheduled_at - JOIN_OPENS_BEFORE


def _hhmm(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def join_error(*, status: str, scheduled_at: datetime, ends_at: datetime, now: datetime) -> str | None:
    """None when the room is open to participants at `now`, else why not, in words."""
    if status not in (InterviewStatus.SCHEDULED, InterviewStatus.IN_PROGRESS):
        return f"This interview is {status.replace('_', ' ')}: it can no longer be joined."
    opens = join_opens_at(scheduled_at)
    if now < opens:
        return f"The interview room opens 15 minutes before the start, at {_hhmm(opens)}."
    if now >= ends_at:
        return f"This interview ended at {_hhmm(ends_at)}: it can no longer be joined."
    return None


def assessment_error(
    *, status: str, scheduled_at: datetime, ended_at: datetime | None, now: datetime, edit_hours: int
) -> str | None:
    """None when interviewers may submit or edit assessments at `now`, else why not.

    Open from 15 minutes before the start; closed when the interview is cancelled or a no-show,
    and `edit_hours` after it was completed.
    """
    if status in (InterviewStatus.CANCELLED, InterviewStatus.NO_SHOW):
        return f"This interview is {status.replace('_', ' ')}: it cannot be assessed."
    if now < join_opens_at(scheduled_at):
        return f"Assessments open 15 minutes before the start, at {_hhmm(join_opens_at(scheduled_at))}."
    if status == InterviewStatus.COMPLETED and ended_at is not None:
        closes = ended_at + timedelta(hours=edit_hours)
        if now >= closes:
            return f"Assessments of this interview closed at {_hhmm(closes)}."
    return None


def due_reminders(*, scheduled_at: datetime, now: datetime, minutes: Iterable[int]) -> list[int]:
    """The reminders (minutes before the start) whose moment has come at `now` and is not stale.

    Nothing is due once the interview has started.
    """
    if now >= scheduled_at:
        return []
    due = []
    for before in minutes:
        moment = scheduled_at - timedelta(minutes=before)
        if moment <= now < moment + REMINDER_LATE_BOUND:
            due.append(before)
    return due
