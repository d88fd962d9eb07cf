"""The iCalendar invite: one event per interview, updated in place by a calendar."""

import pytest
from icalendar import Calendar

from tests import factories
from tests.conftest import client_for
from tests.interviews.helpers import at, book, calendar_url, url

pytestmark = pytest.mark.django_db


def invite(client, interview):
    response = client.get(calendar_url(interview))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def test_the_invite_has_the_time_in_utc_the_organizer_and_the_attendees(
    hiring_manager, colleague, candidate, application
):
    interview = book(application, by=hiring_manager, start=at(9), minutes=45, panel=[hiring_manager, colleague])

    calendar, event = invite(client_for(candidate), interview)

    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == interview.ical_uid
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == at(9)
    assert event.decoded("DTEND") == at(9, 45)
    assert b"DTSTART:20310106T090000Z" in calendar.to_ical()
    assert str(event["ORGANIZER"]) == f"mailto:{hiring_manager.email}"
    attendees = sorted(str(a) for a in event["ATTENDEE"])
    assert attendees == sorted(f"mailto:{u.email}" for u in (candidate, hiring_manager, colleague))
    assert "Backend Engineer" in str(event["SUMMARY"])
    assert f"/interview/{interview.pk}/" in str(event["URL"])


def test_a_reschedule_keeps_the_uid_and_bumps_the_sequence(hiring_manager, candidate, application):
    interview = book(application, by=hiring_manager, start=at(9))
    _, before = invite(client_for(candidate), interview)

    moved = client_for(hiring_manager).patch(url(interview), {"scheduled_at": "2031-01-08T15:00:00Z"}, format="json")
    assert moved.status_code == 200
    _, after = invite(client_for(candidate), interview)

    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after.decoded("DTSTART") == at(15, day=8)


def test_a_cancelled_interview_sends_method_cancel_with_a_higher_sequence(hiring_manager, candidate, application):
    interview = book(application, by=hiring_manager, start=at(9))
    client_for(hiring_manager).post(url(interview, "cancel/"))

    calendar, event = invite(client_for(candidate), interview)

    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["UID"] == interview.ical_uid
    assert event["SEQUENCE"] == 1


def test_only_participants_and_the_company_get_the_invite(hiring_manager, colleague, rival, application):
    interview = book(application, by=hiring_manager, start=at(9))

    # A colleague of the company manages its interviews; outsiders do not learn it exists.
    assert client_for(colleague).get(calendar_url(interview)).status_code == 200
    assert client_for(rival).get(calendar_url(interview)).status_code == 404
    assert client_for(factories.SeekerFactory()).get(calendar_url(interview)).status_code == 404
    assert client_for(hiring_manager).get(f"/api/interview/{interview.pk + 1000}/calendar.ics").status_code == 404
    assert client_for(hiring_manager).get(calendar_url(interview), HTTP_ACCEPT="text/calendar").status_code == 200


def test_the_calendar_path_has_no_trailing_slash(hiring_manager, application):
    interview = book(application, by=hiring_manager, start=at(9))

    assert client_for(hiring_manager).get(calendar_url(interview) + "/").status_code == 404
