"""Reminders: 24 hours and 15 minutes before, once per participant, on a controlled clock."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from interviews import services
from interviews.models import ReminderDelivery
from interviews.services import reminders_send_due
from notifications.frames import frame_of
from notifications.models import Notification
from tests import factories
from tests.interviews.helpers import at, book, shortlisted


def reminders_to(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, event_type="interview_reminder").order_by("id"))


@pytest.fixture
def interview(hiring_manager, colleague, application):
    return book(application, by=hiring_manager, start=at(9), panel=[hiring_manager, colleague])


@pytest.mark.django_db
def test_each_participant_gets_the_24_hour_and_the_15_minute_reminder_once(
    interview, candidate, hiring_manager, colleague
):
    ticks = [at(9) - timedelta(hours=24, minutes=5) + timedelta(minutes=5 * i) for i in range(3)]
    ticks += [at(8, 40) + timedelta(minutes=5 * i) for i in range(5)]  # 8:40 … 9:00

    sent = [reminders_send_due(now=tick) for tick in ticks]

    assert sent == [0, 3, 0, 0, 3, 0, 0, 0]
    for person in (candidate, hiring_manager, colleague):
        assert [n.data["minutes_before"] for n in reminders_to(person)] == [1440, 15]
    frame = frame_of(reminders_to(candidate)[-1])
    assert frame["type"] == "interview_reminder"
    assert frame["interview_id"] == str(interview.pk)
    assert frame["scheduled_at"] == "2031-01-06T09:00:00Z"
    assert frame["minutes_before"] == 15
    assert isinstance(frame["id"], int)


@pytest.mark.django_db
def test_a_repeated_tick_sends_nothing_twice(interview, candidate):
    moment = at(8, 46)

    assert reminders_send_due(now=moment) == 3
    assert reminders_send_due(now=moment) == 0
    assert reminders_send_due(now=moment + timedelta(minutes=5)) == 0
    assert len(reminders_to(candidate)) == 1


@pytest.mark.django_db(transaction=True)
def test_overlapping_ticks_send_each_reminder_once():
    company = factories.CompanyFactory()
    job = factories.JobFactory(company=company)
    candidates = []
    for _ in range(8):
        application = shortlisted(job)
        book(application, by=factories.RecruiterFactory(company=company), start=at(9))
        candidates.append(application.candidate)
    now = at(8, 50)

    barrier = threading.Barrier(4)
    counts: list[int] = []

    def tick():
        try:
            barrier.wait(timeout=10)
            counts.append(reminders_send_due(now=now))
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(counts) == 16  # 8 interviews × (candidate + recruiter)
    assert ReminderDelivery.objects.count() == 16
    assert Notification.objects.filter(event_type="interview_reminder").count() == 16
    for person in candidates:
        assert len(reminders_to(person)) == 1


@pytest.mark.django_db
def test_no_reminder_for_a_cancelled_interview(interview, candidate, hiring_manager):
    services.interview_cancel(interview=interview, actor=hiring_manager, now=at(7))

    assert reminders_send_due(now=at(8, 46)) == 0
    assert reminders_to(candidate) == []


@pytest.mark.django_db
def test_a_moved_interview_is_reminded_at_its_new_time_only(interview, candidate, hiring_manager):
    assert reminders_send_due(now=at(9) - timedelta(hours=24)) == 3  # the 24-hour one of 9:00 went out

    services.interview_update(interview=interview, actor=hiring_manager, scheduled_at=at(14), now=at(8))

    assert reminders_send_due(now=at(8, 46)) == 0  # 15 minutes before the old time: nothing
    assert reminders_send_due(now=at(13, 45)) == 3
    assert [(n.data["minutes_before"], n.data["scheduled_at"]) for n in reminders_to(candidate)] == [
        (1440, "2031-01-06T09:00:00Z"),
        (15, "2031-01-06T14:00:00Z"),
    ]


@pytest.mark.django_db
def test_a_late_booking_gets_no_stale_24_hour_reminder(hiring_manager, application, candidate):
    book(application, by=hiring_manager, start=at(9), now=at(6))

    assert reminders_send_due(now=at(6, 5)) == 0
    assert reminders_send_due(now=at(8, 45)) == 2
    assert [n.data["minutes_before"] for n in reminders_to(candidate)] == [15]


@pytest.mark.django_db
def test_the_leads_come_from_the_setting(settings, interview, candidate):
    settings.KAZI_INTERVIEW_REMINDERS_MINUTES = (60,)

    assert reminders_send_due(now=at(7, 55)) == 0
    assert reminders_send_due(now=at(8, 0)) == 3
    assert reminders_send_due(now=at(8, 46)) == 0  # no 15-minute one any more
    assert [n.data["minutes_before"] for n in reminders_to(candidate)] == [60]


@pytest.mark.django_db
def test_the_beat_task_sends_due_reminders(interview, candidate, monkeypatch):
    from django.utils import timezone

    from interviews.tasks import send_interview_reminders

    monkeypatch.setattr(timezone, "now", lambda: at(8, 50))

    assert send_interview_reminders.apply().get() == 3
    assert send_interview_reminders.apply().get() == 0
    assert len(reminders_to(candidate)) == 1
