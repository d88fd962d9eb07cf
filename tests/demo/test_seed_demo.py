import io
import re
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command

from accounts.models import User
from marketplace.models import Application, Company, Job, JobSeekerProfile
from notifications import selectors

pytestmark = pytest.mark.django_db

LOGIN_LINE = re.compile(r"^\s+(admin|recruiter|seeker)\s+(\S+@\S+)", re.MULTILINE)
PASSWORD = re.compile(r"password for all: (\S+)\)")
CATEGORIES = {"tech", "design", "data", "marketing", "sales", "product", "operations", "finance"}


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_second_run_creates_nothing():
    seed()
    after_first = row_counts()
    output = seed()

    assert row_counts() == after_first
    assert after_first["marketplace.Job"] == 200
    assert re.findall(r"(\d+) created", output) == ["0"] * 5


def test_demo_data_spans_categories_statuses_and_the_workflow():
    seed()

    assert Company.objects.count() == 8
    assert all(company.recruiters.filter(user_type="recruiter").exists() for company in Company.objects.all())
    assert User.objects.filter(user_type="job_seeker").count() == 20
    assert set(Job.objects.values_list("category", flat=True)) == CATEGORIES
    statuses = Counter(Job.objects.values_list("status", flat=True))
    assert statuses["open"] > 150 and statuses["draft"] > 0 and statuses["closed"] > 0
    assert Job.objects.filter(remote=True).exists() and Job.objects.filter(remote=False).exists()
    assert not Job.objects.filter(skills_required=[]).exists()
    assert len(set(Job.objects.values_list("employment_type", flat=True))) >= 4
    assert len(set(Job.objects.values_list("experience_level", flat=True))) == 6
    for profile in JobSeekerProfile.objects.all():
        assert profile.skills and all({"name", "level", "years"} <= set(skill) for skill in profile.skills)
        assert profile.skill_names == [skill["name"].lower() for skill in profile.skills]
        assert profile.location and profile.desired_salary_min <= profile.desired_salary_max
    application_statuses = set(Application.objects.values_list("status", flat=True))
    assert {"pending", "reviewing", "rejected", "withdrawn"} <= application_statuses
    # Every status past `pending` was reached through the workflow service, which records each step.
    for application in Application.objects.exclude(status="pending"):
        assert application.status_changes.last().new_status == application.status


def test_printed_demo_logins_get_tokens(api_client):
    output = seed()
    logins = dict(LOGIN_LINE.findall(output))
    password = PASSWORD.search(output).group(1)
    assert set(logins) == {"admin", "recruiter", "seeker"}

    for role, email in logins.items():
        response = api_client.post("/api/auth/token/", {"email": email, "password": password}, format="json")
        assert response.status_code == 200, (email, response.content)
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.data['access']}")
        me = api_client.get("/api/auth/me/")
        assert me.data["user_type"] == {"seeker": "job_seeker"}.get(role, role)
    assert User.objects.get(email=logins["admin"]).is_superuser


def test_the_demo_recruiter_and_seeker_can_open_their_interview_room_now():
    from datetime import timedelta

    from django.utils import timezone

    from interviews.models import Interview
    from tests.conftest import client_for

    out = seed()
    logins = dict(LOGIN_LINE.findall(out))
    [interview] = Interview.objects.filter(candidate__email=logins["seeker"])
    assert f"/interview/{interview.pk}/" in out
    assert interview.participants.filter(email=logins["recruiter"]).exists()
    assert interview.scheduled_at - timezone.now() < timedelta(minutes=15)  # the room is open already
    response = client_for(User.objects.get(email=logins["seeker"])).post(f"/api/interview/{interview.pk}/join/")
    assert response.status_code == 200, response.content
    assert response.json()["signaling_url"].endswith(f"/ws/interviews/{interview.pk}/")


def test_the_demo_seekers_bell_counts_only_what_concerns_them():
    # Issue 18: a new seeker's bell read 99+, one for every job_posted broadcast of the demo's 200 jobs.
    logins = dict(LOGIN_LINE.findall(seed()))
    seeker = User.objects.get(email=logins["seeker"])

    unread = list(selectors.notifications_for(seeker).filter(read=False))

    assert selectors.unread_count(seeker) == len(unread) <= 20
    assert all(event.recipient_id == seeker.pk for event in unread)
    # The job posts are still in the log, for the socket and for the jobs page's "N new jobs".
    assert selectors.notifications_for(seeker).filter(event_type="job_posted").exists()
