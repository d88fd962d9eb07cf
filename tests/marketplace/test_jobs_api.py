"""Jobs: create, read, update, delete, visibility and who may write (CONTRACT.md "Jobs ...")."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace import services, signals
from marketplace.models import Job
from tests import factories
from tests.conftest import client_for
from tests.marketplace.helpers import ids

pytestmark = pytest.mark.django_db

NEW_JOB = {
    "title": "Backend Engineer",
    "description": "Django, PostgreSQL, Celery.",
    "location": "Nairobi, Kenya",
    "remote": True,
    "employment_type": "contract",
    "experience_level": "senior",
    "salary_min": 60000,
    "salary_max": 90000,
    "currency": "kes",
    "skills_required": ["Python", " Django ", "python", "PostgreSQL"],
    "category": "tech",
    "status": "open",
}


# --- create -----------------------------------------------------------------------------
def test_recruiter_posts_a_job_for_their_company(recruiter_client, recruiter):
    response = recruiter_client.post("/api/jobs/", NEW_JOB, format="json")

    assert response.status_code == 201, response.content
    data = response.data
    assert data["company"] == recruiter.company_id
    assert data["company_name"] == recruiter.company.name
    assert data["title"] == "Backend Engineer"
    assert data["employment_type"] == "contract"
    assert data["experience_level"] == "senior"
    assert data["currency"] == "KES"
    assert data["skills_required"] == ["Python", "Django", "PostgreSQL"]  # trimmed, de-duplicated
    assert data["status"] == "open"
    assert data["published_at"] is not None
    assert data["created_at"].endswith("Z")
    job = Job.objects.get(pk=data["id"])
    assert job.posted_by == recruiter
    assert job.skill_names == ["python", "django", "postgresql"]


def test_a_new_job_is_a_draft_unless_opened(recruiter_client):
    response = recruiter_client.post("/api/jobs/", {"title": "Designer"}, format="json")
    assert response.status_code == 201
    assert response.data["status"] == "draft"
    assert response.data["published_at"] is None


def test_recruiter_cannot_post_for_another_company(recruiter_client, recruiter):
    other = factories.CompanyFactory()
    response = recruiter_client.post("/api/jobs/", {**NEW_JOB, "company": other.pk}, format="json")
    assert response.status_code == 201
    assert response.data["company"] == recruiter.company_id
    assert not Job.objects.filter(company=other).exists()


def test_admin_posts_for_a_named_company(admin_client_jwt):
    company = factories.CompanyFactory()
    response = admin_client_jwt.post("/api/jobs/", {**NEW_JOB, "company": company.pk}, format="json")
    assert response.status_code == 201
    assert response.data["company"] == company.pk


def test_admin_must_name_the_company(admin_client_jwt):
    response = admin_client_jwt.post("/api/jobs/", NEW_JOB, format="json")
    assert response.status_code == 400
    assert "company" in response.data


def test_recruiter_without_a_company_is_told_to_create_one():
    client = client_for(factories.RecruiterFactory(company=None))
    response = client.post("/api/jobs/", NEW_JOB, format="json")
    assert response.status_code == 400
    assert "company" in response.data


def test_job_seeker_cannot_post_a_job(seeker_client):
    response = seeker_client.post("/api/jobs/", NEW_JOB, format="json")
    assert response.status_code == 403
    assert not Job.objects.exists()


def test_anonymous_cannot_post_a_job(api_client):
    assert api_client.post("/api/jobs/", NEW_JOB, format="json").status_code == 401


def test_salary_range_must_be_ordered(recruiter_client):
    response = recruiter_client.post("/api/jobs/", {**NEW_JOB, "salary_min": 90000, "salary_max": 10}, format="json")
    assert response.status_code == 400
    assert "salary_max" in response.data


def test_title_is_required(recruiter_client):
    body = {k: v for k, v in NEW_JOB.items() if k != "title"}
    response = recruiter_client.post("/api/jobs/", body, format="json")
    assert response.status_code == 400
    assert "title" in response.data


def test_a_job_sends_job_opened_when_it_opens(recruiter_client):
    opened = []

    def on_opened(sender, job, **kwargs):
        opened.append(job.title)

    signals.job_opened.connect(on_opened)
    try:
        draft = recruiter_client.post("/api/jobs/", {**NEW_JOB, "status": "draft", "title": "Later"}, format="json")
        recruiter_client.post("/api/jobs/", NEW_JOB, format="json")
        recruiter_client.patch(f"/api/jobs/{draft.data['id']}/", {"status": "open"}, format="json")
    finally:
        signals.job_opened.disconnect(on_opened)

    assert opened == ["Backend Engineer", "Later"]


# --- read ---------------------------------------------------------------------------------
def test_anyone_can_list_open_jobs(api_client):
    job = factories.JobFactory()
    response = api_client.get("/api/jobs/")
    assert response.status_code == 200, response.content
    assert set(response.data) >= {"count", "next", "previous", "results"}
    assert ids(response) == {job.pk}


def test_anyone_can_read_an_open_job(api_client):
    job = factories.JobFactory(title="Data Engineer")
    response = api_client.get(f"/api/jobs/{job.pk}/")
    assert response.status_code == 200
    assert response.data["title"] == "Data Engineer"
    assert response.data["skills_required"] == ["Python", "Django"]


def test_default_list_shows_open_jobs_only(seeker_client):
    open_job = factories.JobFactory(status="open")
    factories.JobFactory(status="closed")
    factories.JobFactory(status="draft")
    assert ids(seeker_client.get("/api/jobs/")) == {open_job.pk}


def test_drafts_of_other_companies_are_invisible(seeker_client, recruiter_client, recruiter):
    other_draft = factories.JobFactory(status="draft")
    own_draft = factories.JobFactory(status="draft", company=recruiter.company)

    for client in (seeker_client, recruiter_client):
        assert client.get(f"/api/jobs/{other_draft.pk}/").status_code == 404
        assert other_draft.pk not in ids(client.get("/api/jobs/", {"status": "draft"}))
    assert recruiter_client.get(f"/api/jobs/{own_draft.pk}/").status_code == 200
    assert ids(recruiter_client.get("/api/jobs/")) == {own_draft.pk}
    assert ids(recruiter_client.get("/api/jobs/", {"status": "draft"})) == {own_draft.pk}


def test_a_draft_looks_exactly_like_a_missing_job(seeker_client):
    draft = factories.JobFactory(status="draft")
    hidden = seeker_client.get(f"/api/jobs/{draft.pk}/")
    missing = seeker_client.get("/api/jobs/999999/")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_closed_jobs_stay_readable(seeker_client):
    job = factories.JobFactory(status="closed")
    assert seeker_client.get(f"/api/jobs/{job.pk}/").status_code == 200


def test_admin_sees_every_job(admin_client_jwt):
    jobs = {factories.JobFactory(status=s).pk for s in ("draft", "open", "closed")}
    assert ids(admin_client_jwt.get("/api/jobs/")) == jobs


@pytest.mark.parametrize("pk", ["abc", "0", "-1", "99999999999999999999999"])
def test_nonsense_job_ids_are_404(seeker_client, pk):
    response = seeker_client.get(f"/api/jobs/{pk}/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_pagination(seeker_client):
    factories.JobFactory.create_batch(3)
    first = seeker_client.get("/api/jobs/", {"page_size": 2})
    assert first.data["count"] == 3
    assert len(first.data["results"]) == 2
    assert first.data["next"] and first.data["previous"] is None
    second = seeker_client.get(first.data["next"])
    assert len(second.data["results"]) == 1
    assert second.data["next"] is None


def test_a_page_past_the_end_is_404(seeker_client):
    factories.JobFactory()
    assert seeker_client.get("/api/jobs/", {"page": 5}).status_code == 404


# --- update and delete ---------------------------------------------------------------------
def test_owning_recruiter_updates_a_job(recruiter_client, recruiter):
    job = factories.JobFactory(company=recruiter.company, status="draft")
    response = recruiter_client.patch(
        f"/api/jobs/{job.pk}/", {"title": "Staff Engineer", "status": "open", "skills_required": ["Go"]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.data["title"] == "Staff Engineer"
    assert response.data["status"] == "open"
    assert response.data["published_at"] is not None
    job.refresh_from_db()
    assert job.skill_names == ["go"]


def test_update_keeps_the_salary_range_ordered(recruiter_client, recruiter):
    job = factories.JobFactory(company=recruiter.company, salary_min=50_000, salary_max=80_000)
    response = recruiter_client.patch(f"/api/jobs/{job.pk}/", {"salary_min": 100_000}, format="json")
    assert response.status_code == 400
    job.refresh_from_db()
    assert job.salary_min == 50_000


def test_update_cannot_move_a_job_to_another_company(recruiter_client, recruiter):
    job = factories.JobFactory(company=recruiter.company)
    other = factories.CompanyFactory()
    recruiter_client.patch(f"/api/jobs/{job.pk}/", {"company": other.pk}, format="json")
    job.refresh_from_db()
    assert job.company_id == recruiter.company_id


def test_owning_recruiter_deletes_a_job(recruiter_client, recruiter):
    job = factories.JobFactory(company=recruiter.company)
    assert recruiter_client.delete(f"/api/jobs/{job.pk}/").status_code == 204
    assert not Job.objects.filter(pk=job.pk).exists()


def test_recruiter_of_another_company_gets_403_on_an_open_job(recruiter_client):
    job = factories.JobFactory(status="open", title="Theirs")

    patch = recruiter_client.patch(f"/api/jobs/{job.pk}/", {"title": "Mine now"}, format="json")
    delete = recruiter_client.delete(f"/api/jobs/{job.pk}/")

    assert patch.status_code == 403
    assert delete.status_code == 403
    assert "detail" in patch.data
    job.refresh_from_db()
    assert job.title == "Theirs"


def test_recruiter_of_another_company_gets_404_on_a_draft(recruiter_client):
    job = factories.JobFactory(status="draft")
    assert recruiter_client.patch(f"/api/jobs/{job.pk}/", {"title": "x"}, format="json").status_code == 404
    assert recruiter_client.delete(f"/api/jobs/{job.pk}/").status_code == 404
    assert Job.objects.filter(pk=job.pk).exists()


def test_job_seeker_cannot_change_or_delete_a_job(seeker_client):
    job = factories.JobFactory(title="Theirs")
    assert seeker_client.patch(f"/api/jobs/{job.pk}/", {"title": "x"}, format="json").status_code == 403
    assert seeker_client.delete(f"/api/jobs/{job.pk}/").status_code == 403
    job.refresh_from_db()
    assert job.title == "Theirs"


def test_anonymous_cannot_change_a_job(api_client):
    job = factories.JobFactory()
    assert api_client.patch(f"/api/jobs/{job.pk}/", {"title": "x"}, format="json").status_code == 401
    assert api_client.delete(f"/api/jobs/{job.pk}/").status_code == 401


def test_put_is_not_offered(recruiter_client, recruiter):
    job = factories.JobFactory(company=recruiter.company)
    assert recruiter_client.put(f"/api/jobs/{job.pk}/", NEW_JOB, format="json").status_code == 405


def test_admin_can_change_any_job(admin_client_jwt):
    job = factories.JobFactory()
    response = admin_client_jwt.patch(f"/api/jobs/{job.pk}/", {"status": "closed"}, format="json")
    assert response.status_code == 200
    assert response.data["status"] == "closed"


def test_job_shows_skills_its_text_mentions_but_does_not_list(recruiter_client):
    response = recruiter_client.post(
        "/api/jobs/",
        {
            "title": "Platform engineer",
            "description": "You will run Kubernetes and tune PostgreSQL. Python helps.",
            "skills_required": ["python"],
            "status": "draft",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.data["skills_required"] == ["Python"]
    assert {"Kubernetes", "PostgreSQL"} <= set(response.data["skills_suggested"])
    assert "Python" not in response.data["skills_suggested"]


def test_the_skills_a_job_text_names_follow_its_edits(recruiter_client):
    created = recruiter_client.post(
        "/api/jobs/",
        {"title": "Platform engineer", "description": "You will run Kubernetes.", "status": "draft"},
        format="json",
    )
    assert created.data["skills_suggested"] == ["Kubernetes"]
    url = f"/api/jobs/{created.data['id']}/"
    edited = recruiter_client.patch(url, {"description": "You will tune PostgreSQL and Redis."}, format="json")
    assert edited.data["skills_suggested"] == ["PostgreSQL", "Redis"]
    listed = recruiter_client.patch(url, {"skills_required": ["postgres"]}, format="json")
    assert listed.data["skills_suggested"] == ["Redis"]  # listed now: no longer only named


def test_a_job_created_open_is_published_when_it_was_written(recruiter):
    """The seeker's list reads `published_at`, the recruiter's `created_at`: a back-dated import agrees in both."""
    weeks_ago = timezone.now() - timedelta(days=21)
    job = services.job_create(
        company=recruiter.company, posted_by=recruiter, title="Old", status="open", created_at=weeks_ago
    )
    assert job.published_at == job.created_at == weeks_ago
