"""Listing and reading interviews: own ones only, upcoming first, times in the reader's zone."""

import pytest

from interviews import services
from tests import factories
from tests.conftest import client_for
from tests.interviews.helpers import at, book, shortlisted, url

pytestmark = pytest.mark.django_db


def test_each_user_lists_only_their_own_interviews(hiring_manager, colleague, rival, candidate, application, job):
    mine = book(application, by=hiring_manager, start=at(9))
    other = book(shortlisted(job), by=colleague, start=at(11))
    elsewhere_recruiter = factories.RecruiterFactory()
    book(shortlisted(factories.JobFactory(company=elsewhere_recruiter.company)), by=elsewhere_recruiter, start=at(9))

    def ids(user):
        response = client_for(user).get("/api/interview/")
        assert response.status_code == 200
        return sorted(item["id"] for item in response.data["results"])

    assert ids(candidate) == [mine.pk]
    # Recruiters see every interview of their company, on the panel or not.
    assert ids(hiring_manager) == sorted([mine.pk, other.pk])
    assert ids(rival) == []


def test_upcoming_lists_scheduled_ones_soonest_first(hiring_manager, candidate, job):
    later = book(shortlisted(job, candidate), by=hiring_manager, start=at(9, day=9))
    sooner = book(shortlisted(factories.JobFactory(company=job.company), candidate), by=hiring_manager, start=at(9))
    dropped = book(shortlisted(factories.JobFactory(company=job.company), candidate), by=hiring_manager, start=at(12))
    services.interview_cancel(interview=dropped, actor=hiring_manager)

    response = client_for(candidate).get("/api/interview/", {"upcoming": "true"})

    assert [item["id"] for item in response.data["results"]] == [sooner.pk, later.pk]
    assert client_for(candidate).get("/api/interview/", {"upcoming": "maybe"}).status_code == 400
    statuses = client_for(candidate).get("/api/interview/", {"status": "cancelled"}).data["results"]
    assert [item["id"] for item in statuses] == [dropped.pk]


def test_times_are_utc_and_also_shown_in_the_asked_zone(hiring_manager, candidate, application):
    interview = book(application, by=hiring_manager, start=at(9))

    response = client_for(candidate).get(url(interview), {"tz": "America/New_York"})

    assert response.data["scheduled_at"] == "2031-01-06T09:00:00Z"
    assert response.data["local"]["scheduled_at"] == "2031-01-06T04:00:00-05:00"
    assert response.data["my_role"] == "candidate"
    assert response.data["join_opens_at"] == "2031-01-06T08:45:00Z"
    bad = client_for(candidate).get(url(interview), {"tz": "Nowhere/Land"})
    assert bad.status_code == 400
    assert "Unknown time zone" in bad.data["tz"][0]


def test_another_users_interview_is_not_found(hiring_manager, rival, application):
    interview = book(application, by=hiring_manager, start=at(9))
    stranger = factories.SeekerFactory()

    for user in (rival, stranger):
        client = client_for(user)
        assert client.get(url(interview)).status_code == 404
        assert client.patch(url(interview), {"duration": 30}, format="json").status_code == 404
        assert client.post(url(interview, "cancel/")).status_code == 404
        assert client.post(url(interview, "join/")).status_code == 404
        assert client.get(url(interview, "assessment/")).status_code == 404


def test_listing_costs_the_same_queries_for_one_or_many(django_assert_max_num_queries, hiring_manager, job):
    for hour in range(8, 14):
        book(shortlisted(job), by=hiring_manager, start=at(hour))
    client = client_for(hiring_manager)

    with django_assert_max_num_queries(6):
        response = client.get("/api/interview/")
    assert response.data["count"] == 6


def test_anonymous_requests_are_401(application, hiring_manager):
    interview = book(application, by=hiring_manager, start=at(9))
    from rest_framework.test import APIClient

    assert APIClient().get("/api/interview/").status_code == 401
    assert APIClient().get(f"/api/interview/{interview.pk}/calendar.ics").status_code == 401


def test_a_non_numeric_id_is_not_found(hiring_manager):
    assert client_for(hiring_manager).get("/api/interview/abc/").status_code == 404
