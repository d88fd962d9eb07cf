"""Booking interviews over the API: status codes, conflicts, panels, rescheduling, cancelling."""

import pytest

from interviews.choices import InterviewStatus
from interviews.models import Interview, Participant
from marketplace.choices import ApplicationStatus
from tests import factories
from tests.conftest import client_for
from tests.interviews.helpers import SCHEDULE_URL, at, book, notices, schedule_body, shortlisted, url

pytestmark = pytest.mark.django_db


def test_a_recruiter_schedules_an_interview_and_the_candidate_is_told(hiring_manager, application, candidate):
    response = client_for(hiring_manager).post(
        SCHEDULE_URL,
        schedule_body(application, at(9), 45, recording_enabled=True, timezone="Africa/Nairobi"),
        format="json",
    )

    assert response.status_code == 201, response.data
    body = response.data
    assert body["scheduled_at"] == "2031-01-06T09:00:00Z"
    assert body["ends_at"] == "2031-01-06T09:45:00Z"
    assert body["local"] == {
        "timezone": "Africa/Nairobi",
        "scheduled_at": "2031-01-06T12:00:00+03:00",
        "ends_at": "2031-01-06T12:45:00+03:00",
    }
    assert body["status"] == "scheduled"
    assert body["recording_enabled"] is True
    assert [person["id"] for person in body["interviewers"]] == [hiring_manager.pk]
    assert body["candidate_id"] == candidate.pk
    assert body["signaling_url"] == f"/ws/interviews/{body['id']}/"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INTERVIEW
    [notice] = notices(candidate, "interview_scheduled")
    assert notice.event_type == "notification"
    assert notice.data["interview_id"] == str(body["id"])
    assert notice.data["scheduled_at"] == "2031-01-06T09:00:00Z"
    assert notice.data["rescheduled"] is False
    assert "12:00 (Africa/Nairobi)" in notice.message
    # The recruiter who booked it is not told about their own action.
    assert notices(hiring_manager, "interview_scheduled") == []


def test_an_application_not_yet_shortlisted_cannot_get_an_interview(hiring_manager, job):
    pending = factories.ApplicationFactory(job=job)

    response = client_for(hiring_manager).post(SCHEDULE_URL, schedule_body(pending, at(9)), format="json")

    assert response.status_code == 400
    assert "'pending' to 'interview'" in response.data["application_id"][0]
    assert "Allowed: reviewing, rejected" in response.data["application_id"][0]
    assert not Interview.objects.exists()


def test_a_second_round_for_an_application_already_in_interview(hiring_manager, application):
    book(application, by=hiring_manager, start=at(9))

    response = client_for(hiring_manager).post(SCHEDULE_URL, schedule_body(application, at(9, day=8)), format="json")

    assert response.status_code == 201
    assert Interview.objects.filter(application=application).count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("duration", 0, "greater than or equal to 5"),
        ("duration", 9999, "less than or equal to 480"),
        ("scheduled_at", "2020-01-01T09:00:00Z", "in the future"),
        ("scheduled_at", "tomorrow", "Datetime has wrong format"),
        ("timezone", "Mars/Olympus", "Unknown time zone"),
        ("candidate_id", 999999, "not the candidate of that application"),
        ("job_id", 999999, "another job"),
        ("interviewer_ids", [999999], "No such user"),
        ("interviewer_ids", [], "at least one interviewer"),
    ],
)
def test_bad_booking_input_is_a_400_naming_the_field(hiring_manager, application, field, value, message):
    body = {**schedule_body(application, at(9)), field: value}

    response = client_for(hiring_manager).post(SCHEDULE_URL, body, format="json")

    assert response.status_code == 400, response.data
    assert message in str(response.data[field])
    assert not Interview.objects.exists()


def test_interviewers_must_be_recruiters_of_the_company(hiring_manager, application, rival, candidate):
    for outsider in (rival, factories.SeekerFactory()):
        body = schedule_body(application, at(9), interviewer_ids=[hiring_manager.pk, outsider.pk])
        response = client_for(hiring_manager).post(SCHEDULE_URL, body, format="json")
        assert response.status_code == 400
        assert "must be active recruiters of Savannah Tech" in response.data["interviewer_ids"][0]


# --- who may book -----------------------------------------------------------------------------------
def test_the_candidate_cannot_schedule(candidate, application):
    response = client_for(candidate).post(SCHEDULE_URL, schedule_body(application, at(9)), format="json")

    assert response.status_code == 403
    assert not Interview.objects.exists()


def test_a_recruiter_of_another_company_cannot_schedule(rival, application):
    response = client_for(rival).post(SCHEDULE_URL, schedule_body(application, at(9)), format="json")

    assert response.status_code == 400
    assert response.data == {"application_id": ["No such application."]}
    assert not Interview.objects.exists()


# --- conflicts --------------------------------------------------------------------------------------
def test_back_to_back_interviews_do_not_conflict(hiring_manager, application, job):
    book(application, by=hiring_manager, start=at(9))
    next_candidate = shortlisted(job)

    response = client_for(hiring_manager).post(SCHEDULE_URL, schedule_body(next_candidate, at(10)), format="json")

    assert response.status_code == 201, response.data


def test_an_overlapping_interview_of_the_same_interviewer_is_a_409_with_its_id(hiring_manager, application, job):
    first = book(application, by=hiring_manager, start=at(9))
    other = shortlisted(job)

    response = client_for(hiring_manager).post(SCHEDULE_URL, schedule_body(other, at(9, 59)), format="json")

    assert response.status_code == 409
    assert response.data["conflicts"] == [first.pk]
    assert "Hawa Manager" in response.data["detail"]
    other.refresh_from_db()
    assert other.status == ApplicationStatus.SHORTLISTED  # nothing of the failed booking stays
    assert Interview.objects.count() == 1


def test_the_candidate_busy_with_another_company_is_a_409(hiring_manager, application, candidate):
    elsewhere = factories.RecruiterFactory()
    their_job = factories.JobFactory(company=elsewhere.company)
    theirs = book(shortlisted(their_job, candidate), by=elsewhere, start=at(8, 30))

    response = client_for(hiring_manager).post(SCHEDULE_URL, schedule_body(application, at(9)), format="json")

    assert response.status_code == 409
    assert response.data == {"detail": "Already booked at that time: the candidate.", "conflicts": [theirs.pk]}


def test_a_panel_conflicts_when_any_interviewer_is_busy(hiring_manager, colleague, application, job):
    busy = book(shortlisted(job), by=colleague, start=at(9, 30), minutes=30)

    body = schedule_body(application, at(9), interviewer_ids=[hiring_manager.pk, colleague.pk])
    response = client_for(hiring_manager).post(SCHEDULE_URL, body, format="json")

    assert response.status_code == 409
    assert response.data["conflicts"] == [busy.pk]
    assert "Cole League" in response.data["detail"]


def test_a_cancelled_interview_frees_its_slot(hiring_manager, application, job):
    first = book(application, by=hiring_manager, start=at(9))
    assert client_for(hiring_manager).post(url(first, "cancel/"), {"reason": "Role paused"}).status_code == 200

    response = client_for(hiring_manager).post(SCHEDULE_URL, schedule_body(shortlisted(job), at(9)), format="json")

    assert response.status_code == 201


def test_the_database_refuses_overlapping_slots_whatever_the_code_does(hiring_manager, application, job):
    first = book(application, by=hiring_manager, start=at(9))
    second = book(shortlisted(job), by=hiring_manager, start=at(11))
    row = Participant.objects.get(interview=second, user=hiring_manager)
    row.during = (at(9, 30), at(10, 30))

    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError, match="participant_no_overlapping_interviews"), transaction.atomic():
        row.save()
    assert first.pk


# --- reschedule and cancel --------------------------------------------------------------------------
def test_rescheduling_moves_the_slot_tells_everyone_and_bumps_the_sequence(
    hiring_manager, colleague, application, candidate
):
    interview = book(application, by=hiring_manager, start=at(9), panel=[hiring_manager, colleague])

    response = client_for(hiring_manager).patch(
        url(interview), {"scheduled_at": "2031-01-07T14:00:00Z", "duration": 30}, format="json"
    )

    assert response.status_code == 200, response.data
    assert response.data["scheduled_at"] == "2031-01-07T14:00:00Z"
    assert response.data["ends_at"] == "2031-01-07T14:30:00Z"
    assert response.data["sequence"] == 1
    for person in (candidate, colleague):
        moved = notices(person, "interview_scheduled")[-1]
        assert moved.data["rescheduled"] is True
        assert moved.data["previous_scheduled_at"] == "2031-01-06T09:00:00Z"
        assert moved.data["scheduled_at"] == "2031-01-07T14:00:00Z"
    # The old slot is free again.
    assert book(
        shortlisted(factories.JobFactory(company=application.job.company), candidate), by=hiring_manager, start=at(9)
    ).pk


def test_rescheduling_into_a_busy_slot_is_a_409_and_changes_nothing(hiring_manager, application, job):
    interview = book(application, by=hiring_manager, start=at(9))
    other = book(shortlisted(job), by=hiring_manager, start=at(14))

    response = client_for(hiring_manager).patch(url(interview), {"scheduled_at": "2031-01-06T14:30:00Z"}, format="json")

    assert response.status_code == 409
    assert response.data["conflicts"] == [other.pk]
    interview.refresh_from_db()
    assert (interview.scheduled_at, interview.sequence) == (at(9), 0)


def test_rescheduling_within_its_own_slot_does_not_conflict_with_itself(hiring_manager, application):
    interview = book(application, by=hiring_manager, start=at(9))

    response = client_for(hiring_manager).patch(url(interview), {"scheduled_at": "2031-01-06T09:30:00Z"}, format="json")

    assert response.status_code == 200


def test_changing_the_panel_tells_who_joined_and_who_was_removed(hiring_manager, colleague, application):
    interview = book(application, by=hiring_manager, start=at(9), panel=[hiring_manager])
    third = factories.RecruiterFactory(company=hiring_manager.company)

    response = client_for(hiring_manager).patch(
        url(interview), {"interviewer_ids": [colleague.pk, third.pk]}, format="json"
    )

    assert response.status_code == 200
    assert sorted(p["id"] for p in response.data["interviewers"]) == sorted([colleague.pk, third.pk])
    assert response.data["sequence"] == 1
    assert notices(colleague, "interview_scheduled") and notices(third, "interview_scheduled")
    assert not Participant.objects.filter(interview=interview, user=hiring_manager).exists()


def test_the_candidate_cannot_reschedule(candidate, hiring_manager, application):
    interview = book(application, by=hiring_manager, start=at(9))

    response = client_for(candidate).patch(url(interview), {"scheduled_at": "2031-01-07T09:00:00Z"}, format="json")

    assert response.status_code == 403


def test_the_candidate_may_cancel_and_the_recruiters_are_told(candidate, hiring_manager, application):
    interview = book(application, by=hiring_manager, start=at(9))

    response = client_for(candidate).post(url(interview, "cancel/"), {"reason": "I accepted another offer"})

    assert response.status_code == 200
    assert response.data["status"] == "cancelled"
    assert response.data["sequence"] == 1
    [notice] = notices(hiring_manager, "interview_cancelled")
    assert notice.data["reason"] == "I accepted another offer"
    assert notices(candidate, "interview_cancelled") == []


def test_a_finished_interview_cannot_be_cancelled_or_moved(hiring_manager, application):
    interview = book(application, by=hiring_manager, start=at(9))
    Interview.objects.filter(pk=interview.pk).update(status=InterviewStatus.COMPLETED)
    client = client_for(hiring_manager)

    assert client.post(url(interview, "cancel/")).status_code == 400
    response = client.patch(url(interview), {"duration": 30}, format="json")
    assert response.status_code == 400
    assert "this one is completed" in response.data["detail"]


def test_withdrawing_the_application_cancels_its_coming_interviews(hiring_manager, candidate, application, job):
    interview = book(application, by=hiring_manager, start=at(9))

    response = client_for(candidate).patch(f"/api/applications/{application.pk}/", {"status": "withdrawn"})

    assert response.status_code == 200, response.data
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED
    assert interview.cancel_reason == "The application was withdrawn."
    [notice] = notices(hiring_manager, "interview_cancelled")
    assert notice.data["interview_id"] == str(interview.pk)
    assert book(shortlisted(job), by=hiring_manager, start=at(9)).pk  # the slot is free
