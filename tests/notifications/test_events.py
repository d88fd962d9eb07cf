"""Marketplace changes become the contract's events: job_posted, application_received, application_status_changed."""

import pytest

from marketplace import services as matcher_services
from notifications import groups, selectors
from notifications.models import Notification
from tests import factories
from tests.conftest import client_for
from tests.notifications.redis_listener import RedisListener, frame

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return factories.CompanyFactory(name="Tech Corp")


@pytest.fixture
def recruiter(company):
    return factories.RecruiterFactory(company=company)


@pytest.fixture
def job(recruiter):
    return factories.JobFactory(company=recruiter.company, title="Platform Engineer")


@pytest.fixture
def application(job, seeker):
    return factories.ApplicationFactory(job=job, candidate=seeker)


def open_job(recruiter, **fields):
    defaults = dict(
        title="Software Engineer",
        description="Build Django services.",
        location="Nairobi, Kenya",
        skills_required=["Python", "Django"],
        status="open",
    )
    return matcher_services.job_create(company=recruiter.company, posted_by=recruiter, **{**defaults, **fields})


# --- job_posted -------------------------------------------------------------------------------
def test_opening_a_job_stores_one_job_posted_for_every_job_seeker(recruiter, seeker):
    job = open_job(recruiter)

    event = Notification.objects.get(event_type="job_posted")
    assert (event.audience, event.recipient_id) == ("job_seeker", None)
    assert event.message == "New job posted: Software Engineer at Tech Corp"
    assert event.data["job_id"] == str(job.pk)
    assert event.data["job_title"] == "Software Engineer"
    assert event.data["company"] == "Tech Corp"
    assert event.data["location"] == "Nairobi, Kenya"
    assert event.data["data"] == {"skills_required": ["Python", "Django"]}
    assert [n.pk for n in selectors.notifications_for(seeker)] == [event.pk]
    assert selectors.notifications_for(recruiter).count() == 0


def test_job_posted_frame_reaches_the_job_seeker_role_in_the_contract_shape(
    recruiter, django_capture_on_commit_callbacks
):
    listener = RedisListener()
    try:
        listener.subscribe(groups.role_group("job_seeker"), groups.role_group("recruiter"))
        with django_capture_on_commit_callbacks(execute=True):
            job = open_job(recruiter, location="", remote=True)
        received = listener.received()
    finally:
        listener.close()

    assert [group for group, _ in received] == [groups.role_group("job_seeker")]
    pushed = frame(received[0][1])
    assert pushed["type"] == "job_posted"
    assert pushed["id"] == Notification.objects.get(event_type="job_posted").pk
    assert pushed["message"] == "New job posted: Software Engineer at Tech Corp"
    assert pushed["job_id"] == str(job.pk)
    assert pushed["job_title"] == "Software Engineer"
    assert pushed["company"] == "Tech Corp"
    assert pushed["location"] == "Remote"
    assert pushed["data"] == {"skills_required": ["Python", "Django"]}
    assert pushed["timestamp"].endswith("Z")


def test_a_draft_job_stores_no_job_posted(recruiter):
    open_job(recruiter, status="draft")

    assert not Notification.objects.filter(event_type="job_posted").exists()


def test_publishing_a_draft_stores_job_posted_once(recruiter, seeker):
    job = open_job(recruiter, status="draft")

    matcher_services.job_update(job=job, actor=recruiter, data={"status": "open"})
    matcher_services.job_update(job=job, actor=recruiter, data={"title": "Software Engineer II"})

    events = list(Notification.objects.filter(event_type="job_posted"))
    assert len(events) == 1
    assert events[0].data["job_id"] == str(job.pk)
    assert selectors.notifications_for(seeker).filter(event_type="job_posted").count() == 1


def test_opening_a_job_over_the_api_notifies_seekers(recruiter_client, seeker):
    response = recruiter_client.post(
        "/api/jobs/",
        {"title": "Data Engineer", "description": "Pipelines.", "location": "Remote", "status": "open"},
        format="json",
    )

    assert response.status_code == 201, response.content
    listed = client_for(seeker).get("/api/notifications/").data["results"]
    assert [(item["type"], item["message"]) for item in listed] == [
        ("job_posted", "New job posted: Data Engineer at Tech Corp")
    ]


# --- application_received --------------------------------------------------------------------
def test_applying_notifies_every_recruiter_of_the_company_and_no_one_else(job, recruiter, seeker):
    colleague = factories.RecruiterFactory(company=recruiter.company)
    outsider = factories.RecruiterFactory()
    seeker.first_name, seeker.last_name = "John", "Doe"
    seeker.save()

    application = matcher_services.application_create(job=job, candidate=seeker, cover_letter="Hire me")

    events = Notification.objects.filter(event_type="application_received")
    assert sorted(events.values_list("recipient_id", flat=True)) == sorted([recruiter.pk, colleague.pk])
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert not Notification.objects.filter(recipient=seeker).exists()
    event = events.get(recipient=recruiter)
    assert event.message == "New application received from John Doe for Platform Engineer"
    assert event.data["application_id"] == str(application.pk)
    assert event.data["job_id"] == str(job.pk)
    assert event.data["applicant_name"] == "John Doe"


# --- application_status_changed ---------------------------------------------------------------
def test_recruiter_status_change_notifies_the_seeker_with_old_and_new_status(application, recruiter, seeker):
    matcher_services.application_change_status(application=application, new_status="reviewing", actor=recruiter)

    event = Notification.objects.get(event_type="application_status_changed")
    assert event.recipient_id == seeker.pk
    assert event.data["old_status"] == "pending"
    assert event.data["new_status"] == "reviewing"
    assert event.data["application_id"] == str(application.pk)
    assert event.data["job_title"] == "Platform Engineer"
    assert "moved to Reviewing" in event.message
    assert not Notification.objects.filter(recipient=recruiter).exists()


def test_status_change_over_the_api_shows_in_the_seekers_list(application, recruiter_client, seeker):
    response = recruiter_client.patch(f"/api/applications/{application.pk}/", {"status": "rejected"}, format="json")

    assert response.status_code == 200, response.content
    listed = client_for(seeker).get("/api/notifications/?type=application_status_changed").data["results"]
    assert len(listed) == 1
    assert (listed[0]["data"]["old_status"], listed[0]["data"]["new_status"]) == ("pending", "rejected")
    assert listed[0]["read"] is False


def test_withdrawn_application_notifies_recruiter(application, recruiter, seeker):
    colleague = factories.RecruiterFactory(company=recruiter.company)

    matcher_services.application_change_status(application=application, new_status="withdrawn", actor=seeker)

    events = Notification.objects.filter(event_type="application_status_changed")
    assert sorted(events.values_list("recipient_id", flat=True)) == sorted([recruiter.pk, colleague.pk])
    event = events.get(recipient=recruiter)
    assert (event.data["old_status"], event.data["new_status"]) == ("pending", "withdrawn")
    assert seeker.full_name in event.message
    assert not Notification.objects.filter(recipient=seeker).exists()


def test_an_invalid_status_change_stores_no_event(application, recruiter_client):
    response = recruiter_client.patch(f"/api/applications/{application.pk}/", {"status": "accepted"}, format="json")

    assert response.status_code == 400
    assert not Notification.objects.filter(event_type="application_status_changed").exists()
