"""Assessments: one per interviewer, editable while open, seen by the company, never by the candidate."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from interviews import services
from interviews.models import Assessment
from tests.conftest import client_for
from tests.interviews.helpers import at, book, soon, url

pytestmark = pytest.mark.django_db

GOOD = {
    "rating": 4,
    "feedback": "Clear thinker, solid Django.",
    "technical_skills": [{"skill": "Python", "rating": 5}, {"skill": "SQL", "rating": 3}],
    "soft_skills": [{"skill": "Communication", "rating": 4}],
    "overall_recommendation": "hire",
    "notes": "Ask about on-call next round.",
}


@pytest.fixture
def live_interview(hiring_manager, colleague, application):
    """An interview starting in 10 minutes (assessments are open), with a panel of two."""
    return book(application, by=hiring_manager, start=soon(10), panel=[hiring_manager, colleague], now=None)


def test_an_interviewer_submits_then_edits_their_one_assessment(hiring_manager, live_interview):
    client = client_for(hiring_manager)

    created = client.post(url(live_interview, "assessment/"), GOOD, format="json")
    edited = client.post(
        url(live_interview, "assessment/"),
        {**GOOD, "rating": 5, "overall_recommendation": "strong_hire"},
        format="json",
    )

    assert created.status_code == 201, created.data
    assert edited.status_code == 200
    assert edited.data["id"] == created.data["id"]
    assert edited.data["rating"] == 5
    assert Assessment.objects.filter(interview=live_interview).count() == 1


def test_the_company_sees_every_assessment_with_averages(hiring_manager, colleague, live_interview):
    client_for(hiring_manager).post(url(live_interview, "assessment/"), GOOD, format="json")
    client_for(colleague).post(
        url(live_interview, "assessment/"),
        {"rating": 2, "technical_skills": [{"skill": "Python", "rating": 3}], "overall_recommendation": "no_hire"},
        format="json",
    )

    listed = client_for(hiring_manager).get(url(live_interview, "assessment/"))
    detail = client_for(colleague).get(url(live_interview))

    assert listed.status_code == 200
    summary = listed.data["summary"]
    assert summary["count"] == 2
    assert summary["average_rating"] == 3.0
    assert summary["technical_skills"] == {"Python": 4.0, "SQL": 3.0}
    assert summary["average_technical"] == 3.5
    assert summary["recommendations"] == {"hire": 1, "no_hire": 1}
    assert [a["interviewer"]["id"] for a in listed.data["results"]] == [hiring_manager.pk, colleague.pk]
    assert detail.data["assessment_summary"]["average_rating"] == 3.0
    assert len(detail.data["assessments"]) == 2


def test_the_candidate_never_sees_assessments(hiring_manager, candidate, live_interview):
    client_for(hiring_manager).post(url(live_interview, "assessment/"), GOOD, format="json")
    client = client_for(candidate)

    listed = client.get(url(live_interview, "assessment/"))
    detail = client.get(url(live_interview))
    mine = client.get("/api/interview/")
    joined = client.post(url(live_interview, "join/"))

    assert listed.status_code == 403
    assert detail.status_code == 200
    for body in (detail.data, mine.data, joined.data):
        text = json.dumps(body, default=str)
        assert "assessment" not in text
        assert "Clear thinker" not in text and "on-call" not in text
    assert client.post(url(live_interview, "assessment/"), GOOD, format="json").status_code == 403


def test_a_recruiter_off_the_panel_cannot_assess(live_interview, hiring_manager, application):
    from tests import factories

    bystander = factories.RecruiterFactory(company=hiring_manager.company)

    response = client_for(bystander).post(url(live_interview, "assessment/"), GOOD, format="json")

    assert response.status_code == 403
    assert "interviewers" in response.data["detail"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"rating": "great"}, "rating"),
        ({"overall_recommendation": "maybe"}, "overall_recommendation"),
        ({"technical_skills": [{"skill": "Python", "rating": 9}]}, "technical_skills"),
        ({"technical_skills": "Python"}, "technical_skills"),
        ({"soft_skills": [{"rating": 3}]}, "soft_skills"),
    ],
)
def test_bad_assessments_are_400s_naming_the_field(hiring_manager, live_interview, change, field):
    response = client_for(hiring_manager).post(url(live_interview, "assessment/"), {**GOOD, **change}, format="json")

    assert response.status_code == 400
    assert field in response.data
    assert not Assessment.objects.exists()


def test_a_skill_rated_twice_is_a_400(hiring_manager, live_interview):
    twice = [{"skill": "Python", "rating": 4}, {"skill": "python ", "rating": 2}]

    response = client_for(hiring_manager).post(
        url(live_interview, "assessment/"), {**GOOD, "technical_skills": twice}, format="json"
    )

    assert response.status_code == 400
    assert "rated twice" in response.data["technical_skills"][0]


def test_assessments_open_15_minutes_before_and_close_after_completion(
    settings, hiring_manager, candidate, application
):
    settings.KAZI_INTERVIEW_ASSESSMENT_HOURS = 72
    interview = book(application, by=hiring_manager, start=at(9))
    values = {"rating": 3, "overall_recommendation": "hire"}

    with pytest.raises(ValidationError, match="open 15 minutes before"):
        services.assessment_submit(interview=interview, interviewer=hiring_manager, now=at(8, 30), **values)
    services.interview_join(interview=interview, user=hiring_manager, now=at(9))
    services.interview_join(interview=interview, user=candidate, now=at(9))
    services.interview_end(interview=interview, actor=hiring_manager, now=at(9, 50))

    _, created = services.assessment_submit(
        interview=interview, interviewer=hiring_manager, now=at(9, 50) + timedelta(hours=71), **values
    )
    assert created
    with pytest.raises(ValidationError, match="closed at"):
        services.assessment_submit(
            interview=interview, interviewer=hiring_manager, now=at(9, 50) + timedelta(hours=72), **values
        )


def test_a_cancelled_interview_cannot_be_assessed(hiring_manager, live_interview):
    client = client_for(hiring_manager)
    client.post(url(live_interview, "cancel/"))

    response = client.post(url(live_interview, "assessment/"), GOOD, format="json")

    assert response.status_code == 400
    assert "cancelled" in response.data["detail"]
