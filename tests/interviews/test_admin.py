"""Every interview model has a working admin page; the cancel action goes through the service."""

import pytest
from django.test import Client

from interviews import services
from interviews.choices import InterviewStatus
from tests.interviews.helpers import at, book, notices

pytestmark = pytest.mark.django_db

PAGES = ["interview", "participant", "attendance", "assessment", "reminderdelivery", "connectionqualityreport"]


@pytest.fixture
def staff_browser(admin_user):
    browser = Client()
    browser.force_login(admin_user)
    return browser


def test_every_admin_page_opens(staff_browser, hiring_manager, candidate, application):
    interview = book(application, by=hiring_manager, start=at(9))
    services.interview_join(interview=interview, user=candidate, now=at(8, 50))
    services.assessment_submit(
        interview=interview, interviewer=hiring_manager, rating=4, overall_recommendation="hire", now=at(8, 55)
    )
    services.reminders_send_due(now=at(8, 46))
    services.connection_quality_record(interview=interview, user=candidate, stats={"round_trip_ms": 80}, now=at(9))

    for model in PAGES:
        assert staff_browser.get(f"/admin/interviews/{model}/").status_code == 200, model
    assert staff_browser.get(f"/admin/interviews/interview/{interview.pk}/change/").status_code == 200


def test_the_admin_cancel_action_notifies_the_participants(staff_browser, hiring_manager, candidate, application):
    interview = book(application, by=hiring_manager, start=at(9))

    response = staff_browser.post(
        "/admin/interviews/interview/", {"action": "cancel_interviews", "_selected_action": [interview.pk]}
    )

    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED
    assert notices(candidate, "interview_cancelled")
    assert notices(hiring_manager, "interview_cancelled")
