"""POST /api/interview/conflicts/: the scheduling form's warning before it books anything."""

import pytest

from interviews.models import Interview
from tests import factories
from tests.conftest import client_for
from tests.interviews.helpers import at, book, shortlisted

pytestmark = pytest.mark.django_db

CONFLICTS_URL = "/api/interview/conflicts/"


def check(client, application, start, minutes=60, **extra):
    body = {
        "application_id": application.pk,
        "scheduled_at": start.isoformat().replace("+00:00", "Z"),
        "duration": minutes,
        **extra,
    }
    return client.post(CONFLICTS_URL, body, format="json")


def test_names_who_is_busy_and_books_nothing(hiring_manager, colleague, job, application):
    other = shortlisted(job=job)
    booked = book(other, by=hiring_manager, start=at(10), panel=[colleague])
    before = Interview.objects.count()

    response = check(
        client_for(hiring_manager), application, at(10, 30), interviewer_ids=[hiring_manager.pk, colleague.pk]
    )

    assert response.status_code == 200, response.content
    assert response.data["conflicts"] == [booked.pk]
    assert response.data["detail"] == f"Already booked at that time: {colleague.full_name}."
    [busy] = response.data["busy"]
    assert busy["user_id"] == colleague.pk and busy["is_candidate"] is False
    assert busy["starts_at"] == "2031-01-06T10:00:00Z" and busy["ends_at"] == "2031-01-06T11:00:00Z"
    assert Interview.objects.count() == before


def test_the_candidate_is_named_first_as_such_and_a_free_slot_has_no_conflicts(hiring_manager, job, application):
    book(application, by=hiring_manager, start=at(9))
    client = client_for(hiring_manager)

    busy = check(client, application, at(9, 15), minutes=30)
    free = check(client, application, at(10), minutes=30)  # touching ends do not clash

    assert busy.data["detail"] == f"Already booked at that time: the candidate, {hiring_manager.full_name}."
    assert busy.data["busy"][0]["is_candidate"] is True
    assert free.data == {"conflicts": [], "busy": [], "detail": ""}


def test_rescheduling_an_interview_does_not_clash_with_itself(hiring_manager, application):
    interview = book(application, by=hiring_manager, start=at(9))

    response = check(client_for(hiring_manager), application, at(9, 30), interview_id=interview.pk)

    assert response.data["conflicts"] == []


def test_only_the_companys_recruiters_check_its_applications(rival, application, candidate):
    assert check(client_for(rival), application, at(9)).status_code == 400
    assert check(client_for(rival), application, at(9)).data == {"application_id": ["No such application."]}
    assert check(client_for(candidate), application, at(9)).status_code == 403
    assert check(client_for(factories.SeekerFactory()), application, at(9), minutes=1).status_code == 403
