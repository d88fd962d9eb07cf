"""Interview news is mailed at once with the invite, through a real SMTP server on loopback: calendars add,
move (same UID, higher SEQUENCE) and remove (METHOD:CANCEL) the event from the attachment alone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from interviews import services
from notifications import mailing
from notifications.models import Notification, NotificationPreference
from tests.interviews.helpers import BEFORE, at, book
from tests.mail import attachments_of, parts_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mail_sent_inline(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


def invite_of(message) -> tuple[Calendar, object, str]:
    [(filename, content_type, body)] = attachments_of(message)
    assert filename.endswith(".ics")
    calendar = Calendar.from_ical(body)
    [event] = calendar.walk("VEVENT")
    return calendar, event, content_type


def mails_to(smtp_server, user) -> list:
    return [m for m in smtp_server.messages if m["To"] == user.email]


def test_scheduling_mails_the_candidate_an_invite_at_once(
    smtp_server, django_capture_on_commit_callbacks, hiring_manager, candidate, application
):
    with django_capture_on_commit_callbacks(execute=True):
        interview = book(application, by=hiring_manager, start=at(9))

    [message] = mails_to(smtp_server, candidate)
    assert message["Subject"] == "Interview scheduled"
    calendar, event, content_type = invite_of(message)
    assert content_type.startswith("text/calendar") and 'method="REQUEST"' in content_type
    assert calendar["METHOD"] == "REQUEST"
    assert (event["UID"], event["SEQUENCE"], event.decoded("DTSTART")) == (interview.ical_uid, 0, at(9))
    assert f"/interview/{interview.pk}/" in parts_of(message)["text/plain"]
    assert f"/interview/{interview.pk}/" in parts_of(message)["text/html"]
    # Mailed already: the digest leaves it out.
    assert "email" in Notification.objects.get(recipient=candidate, notification_type="interview_scheduled").channels


def test_a_moved_interview_mails_the_same_uid_with_a_higher_sequence(
    smtp_server, django_capture_on_commit_callbacks, hiring_manager, candidate, application
):
    with django_capture_on_commit_callbacks(execute=True):
        interview = book(application, by=hiring_manager, start=at(9))
    with django_capture_on_commit_callbacks(execute=True):
        services.interview_update(interview=interview, actor=hiring_manager, scheduled_at=at(15, day=8), now=BEFORE)

    first, moved = mails_to(smtp_server, candidate)
    assert moved["Subject"] == "Interview rescheduled"
    _, before, _ = invite_of(first)
    calendar, after, _ = invite_of(moved)
    assert calendar["METHOD"] == "REQUEST"
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after.decoded("DTSTART") == at(15, day=8)


def test_a_cancelled_interview_mails_method_cancel(
    smtp_server, django_capture_on_commit_callbacks, hiring_manager, candidate, application
):
    with django_capture_on_commit_callbacks(execute=True):
        interview = book(application, by=hiring_manager, start=at(9))
    with django_capture_on_commit_callbacks(execute=True):
        services.interview_cancel(interview=interview, actor=hiring_manager, reason="Role filled", now=BEFORE)

    first, cancelled = mails_to(smtp_server, candidate)
    assert cancelled["Subject"] == "Interview cancelled"
    _, before, _ = invite_of(first)
    calendar, after, content_type = invite_of(cancelled)
    assert calendar["METHOD"] == "CANCEL" and 'method="CANCEL"' in content_type
    assert after["STATUS"] == "CANCELLED"
    assert (after["UID"], after["SEQUENCE"] > before["SEQUENCE"]) == (before["UID"], True)


def test_an_interviewer_taken_off_the_panel_gets_a_cancel(
    smtp_server, django_capture_on_commit_callbacks, hiring_manager, colleague, candidate, application
):
    with django_capture_on_commit_callbacks(execute=True):
        interview = book(application, by=hiring_manager, start=at(9), panel=[hiring_manager, colleague])
    with django_capture_on_commit_callbacks(execute=True):
        services.interview_update(interview=interview, actor=hiring_manager, interviewers=[hiring_manager], now=BEFORE)

    invited, removed = mails_to(smtp_server, colleague)
    assert invite_of(invited)[0]["METHOD"] == "REQUEST"
    assert invite_of(removed)[0]["METHOD"] == "CANCEL"
    assert len(mails_to(smtp_server, candidate)) == 1  # the candidate's interview did not change


def test_no_interview_mail_when_the_candidate_turned_that_kind_off(
    smtp_server, django_capture_on_commit_callbacks, hiring_manager, candidate, application
):
    NotificationPreference.objects.create(user=candidate, email_types={"interview_scheduled": False})

    with django_capture_on_commit_callbacks(execute=True):
        book(application, by=hiring_manager, start=at(9))

    assert mails_to(smtp_server, candidate) == []


def test_an_interview_mail_is_left_out_of_the_digest(
    smtp_server, django_capture_on_commit_callbacks, hiring_manager, candidate, application
):
    with django_capture_on_commit_callbacks(execute=True):
        book(application, by=hiring_manager, start=at(9))
        mailing.digests_send(now=timezone.now() + timedelta(hours=1))

    # The digest carries the application's move to `interview`, not the interview mailed already.
    invite, digest = mails_to(smtp_server, candidate)
    assert digest["Subject"] == "1 unread notification on Kazi"
    assert "Interview scheduled" not in parts_of(digest)["text/plain"]


def test_each_reminder_is_mailed_at_once_and_once(
    smtp_server, django_capture_on_commit_callbacks, hiring_manager, candidate, application
):
    book(application, by=hiring_manager, start=at(9))
    fifteen_before = at(8, 45)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send_due(now=fifteen_before) == 2  # the candidate and the interviewer
        assert services.reminders_send_due(now=fifteen_before) == 0

    [reminder] = mails_to(smtp_server, candidate)
    assert "starts in 15 minutes" in parts_of(reminder)["text/plain"]
    assert attachments_of(reminder) == []
    assert str(reminder["List-Unsubscribe"]).strip().startswith("<http://127.0.0.1:8000/unsubscribe/")
