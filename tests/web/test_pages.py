"""Every page renders for the roles it is for, sends others away, and carries the notification center."""

import uuid
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from chat import services as chat_services
from interviews import services as interview_services
from tests import factories

pytestmark = pytest.mark.django_db

SEEKER_ONLY = ["web:recommendations", "web:resume", "web:profile", "web:applications", "web:bookmarks"]
RECRUITER_ONLY = ["web:recruiter-jobs", "web:job-new"]
EVERYONE = ["web:jobs", "web:chat", "web:dashboard", "web:interviews"]


@pytest.fixture
def job():
    return factories.JobFactory(title="Data Engineer")


@pytest.fixture
def browser(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.mark.parametrize("name", [*SEEKER_ONLY, *RECRUITER_ONLY, *EVERYONE, "web:home"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={reverse(name)}"


def test_the_root_is_the_jobs_page_for_a_logged_in_user(browser, seeker):
    response = browser(seeker).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/jobs/"


def test_login_page_asks_for_email_and_password(client):
    response = client.get("/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<label for="id_username">Email</label>' in page
    assert 'type="email"' in page and 'type="password"' in page


def test_logging_in_by_email_lands_on_the_jobs_page(client, seeker):
    response = client.post("/login/", {"username": seeker.email.upper(), "password": factories.PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/jobs/"
    assert client.get("/jobs/").status_code == 200


def test_a_wrong_password_shows_an_error_and_no_session(client, seeker):
    response = client.post("/login/", {"username": seeker.email, "password": "not it"})
    assert response.status_code == 200
    assert "That email and password do not match an active account." in response.content.decode()
    assert client.get("/jobs/").status_code == 302


def test_logging_out_ends_the_session(browser, seeker):
    client = browser(seeker)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.get("/jobs/").status_code == 302


@pytest.mark.parametrize("name", [*SEEKER_ONLY, *EVERYONE])
def test_seeker_pages_render_with_the_notification_center(browser, seeker, name):
    response = browser(seeker).get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="notif-badge"' in page
    assert 'id="conn-state"' in page
    assert "/static/kazi/app.js" in page
    assert f'data-user-id="{seeker.pk}"' in page


@pytest.mark.parametrize("name", [*RECRUITER_ONLY, *EVERYONE])
def test_recruiter_pages_render(browser, recruiter, name):
    assert browser(recruiter).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", RECRUITER_ONLY)
def test_seekers_may_not_open_recruiter_pages(browser, seeker, name):
    assert browser(seeker).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", SEEKER_ONLY)
def test_recruiters_may_not_open_seeker_pages(browser, recruiter, name):
    assert browser(recruiter).get(reverse(name)).status_code == 403


def test_job_page_shows_the_job_and_apply_for_a_seeker(browser, seeker, job):
    response = browser(seeker).get(f"/jobs/{job.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Data Engineer" in page
    assert 'id="apply-form"' in page
    assert 'aria-pressed="false"' in page


def test_job_page_says_when_the_seeker_applied_and_bookmarked(browser, seeker, job):
    factories.ApplicationFactory(job=job, candidate=seeker)
    seeker.bookmarks.create(job=job)
    page = browser(seeker).get(f"/jobs/{job.pk}/").content.decode()
    assert "You applied:" in page
    assert 'aria-pressed="true"' in page


def test_a_draft_job_of_another_company_is_not_found(browser, seeker):
    draft = factories.JobFactory(status="draft")
    assert browser(seeker).get(f"/jobs/{draft.pk}/").status_code == 404


def test_recruiter_sees_the_pipeline_of_their_own_job_only(browser, recruiter):
    own = factories.JobFactory(company=recruiter.company)
    other = factories.JobFactory()
    client = browser(recruiter)
    response = client.get(f"/recruiter/jobs/{own.pk}/")
    assert response.status_code == 200
    assert 'id="pipeline"' in response.content.decode()
    assert client.get(f"/recruiter/jobs/{other.pk}/").status_code == 404


def test_a_conversation_page_is_for_its_participants_only(browser, seeker, recruiter):
    conversation, _ = chat_services.conversation_start_direct(initiator=recruiter, other=seeker)
    stranger = factories.SeekerFactory()
    assert browser(seeker).get(f"/chat/{conversation.pk}/").status_code == 200
    assert browser(stranger).get(f"/chat/{conversation.pk}/").status_code == 404
    assert browser(seeker).get(f"/chat/{uuid.uuid4()}/").status_code == 404


@pytest.mark.parametrize(
    "path", ["/static/kazi/realtime.js", "/static/kazi/app.js", "/static/kazi/kazi.css", "/static/kazi/favicon.svg"]
)
def test_static_files_are_served_without_a_build_step(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])


def test_another_companys_job_cannot_be_edited_nor_its_applicant_opened(browser, recruiter):
    other = factories.JobFactory(title="Not yours")
    applicant = factories.ApplicationFactory(job=other).candidate
    client = browser(recruiter)
    assert client.get(reverse("web:job-edit", args=[other.pk])).status_code == 404
    hidden = factories.SeekerFactory(profile__visibility="hidden")
    assert client.get(reverse("web:candidate", args=[hidden.pk])).status_code == 404
    applicant.profile.visibility = "hidden"
    applicant.profile.save()
    assert client.get(reverse("web:candidate", args=[applicant.pk])).status_code == 404
    mine = factories.ApplicationFactory(job=factories.JobFactory(company=recruiter.company), candidate=hidden)
    page = client.get(reverse("web:candidate", args=[hidden.pk]))
    assert page.status_code == 200 and mine.job.title in page.content.decode()


def test_a_job_description_renders_as_paragraphs_and_a_list(browser, seeker):
    job = factories.JobFactory(description="About us.\n\n- Python\n- <b>SQL</b>", location="Remote", remote=True)
    page = browser(seeker).get(reverse("web:job", args=[job.pk])).content.decode()
    assert "<p>About us.</p>" in page and "<ul><li>Python</li><li>&lt;b&gt;SQL&lt;/b&gt;</li></ul>" in page
    assert "Remote · Remote" not in page and "USD 50,000–80,000" in page


def test_an_interview_page_is_for_its_participants_and_the_companys_recruiters_only(browser):
    recruiter = factories.RecruiterFactory()
    job = factories.JobFactory(company=recruiter.company, posted_by=recruiter)
    application = factories.ApplicationFactory(job=job, status="shortlisted")
    interview = interview_services.interview_schedule(
        actor=recruiter,
        application=application,
        scheduled_at=datetime(2031, 1, 6, 9, tzinfo=UTC),
        duration=60,
        now=datetime(2031, 1, 1, tzinfo=UTC),
    )
    path = reverse("web:interview-detail", args=[interview.pk])

    as_recruiter = browser(recruiter).get(path)
    assert as_recruiter.status_code == 200 and b"Your assessment" in as_recruiter.content
    assert b"Assessments side by side" in as_recruiter.content
    as_candidate = browser(application.candidate).get(path)
    assert as_candidate.status_code == 200
    assert b"Your assessment" not in as_candidate.content and b"side by side" not in as_candidate.content
    assert browser(factories.RecruiterFactory()).get(path).status_code == 404
    assert browser(factories.SeekerFactory()).get(path).status_code == 404
