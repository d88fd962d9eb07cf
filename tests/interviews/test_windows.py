"""The time rules, with the clock passed in (no database)."""

from datetime import UTC, datetime, timedelta

import pytest

from interviews.windows import assessment_error, due_reminders, join_error

START = datetime(2031, 1, 6, 9, 0, tzinfo=UTC)
END = START + timedelta(minutes=60)


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


@pytest.mark.parametrize(
    ("now", "open_"),
    [
        (START - minutes(16), False),
        (START - minutes(15), True),
        (START, True),
        (END - minutes(1), True),
        (END, False),
    ],
)
def test_the_room_is_open_from_15_minutes_before_the_start_until_the_end(now, open_):
    error = join_error(status="scheduled", scheduled_at=START, ends_at=END, now=now)
    assert (error is None) is open_


def test_too_early_says_when_the_room_opens():
    error = join_error(status="scheduled", scheduled_at=START, ends_at=END, now=START - minutes(60))
    assert "opens 15 minutes before the start" in error
    assert "2031-01-06 08:45 UTC" in error


@pytest.mark.parametrize("status", ["cancelled", "completed", "no_show"])
def test_a_closed_interview_cannot_be_joined(status):
    assert "can no longer be joined" in join_error(status=status, scheduled_at=START, ends_at=END, now=START)


def test_assessments_open_with_the_room_and_close_hours_after_completion():
    def error(status, now, ended_at=None):
        return assessment_error(status=status, scheduled_at=START, ended_at=ended_at, now=now, edit_hours=72)

    assert "open 15 minutes before" in error("scheduled", START - minutes(20))
    assert error("scheduled", START - minutes(15)) is None
    assert error("in_progress", START + minutes(30)) is None
    assert error("completed", END + timedelta(hours=71), ended_at=END) is None
    assert "closed at" in error("completed", END + timedelta(hours=72), ended_at=END)
    assert "cancelled" in error("cancelled", START)
    assert "no show" in error("no_show", START + minutes(30))


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (START - timedelta(hours=25), []),
        (START - timedelta(hours=24), [1440]),
        (START - timedelta(hours=23, minutes=30), [1440]),
        (START - timedelta(hours=22), []),  # an hour late: stale, dropped
        (START - minutes(15), [15]),
        (START - minutes(1), [15]),
        (START, []),  # started: nothing more
    ],
)
def test_reminders_are_due_from_their_moment_until_stale_or_started(now, due):
    assert due_reminders(scheduled_at=START, now=now, minutes=(1440, 15)) == due
