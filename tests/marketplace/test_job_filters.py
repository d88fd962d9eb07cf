"""Every filter of /api/jobs/, each with a case that matches and one that does not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.marketplace.helpers import ids

pytestmark = pytest.mark.django_db


def listed(client, **params) -> set:
    return ids(client.get("/api/jobs/", params))


# --- status -------------------------------------------------------------------------------
def test_status_filter(seeker_client):
    open_job = factories.JobFactory(status="open")
    closed = factories.JobFactory(status="closed")
    factories.JobFactory(status="draft")

    assert listed(seeker_client, status="closed") == {closed.pk}
    assert listed(seeker_client, status="open") == {open_job.pk}
    assert listed(seeker_client, status="draft") == set()  # other companies' drafts stay hidden


def test_status_filter_shows_own_drafts_to_the_company(recruiter_client, recruiter):
    own = factories.JobFactory(status="draft", company=recruiter.company)
    factories.JobFactory(status="draft")
    assert listed(recruiter_client, status="draft") == {own.pk}
    assert listed(recruiter_client, status="closed") == set()


# --- location -----------------------------------------------------------------------------
def test_location_filter_is_a_case_insensitive_substring(seeker_client):
    nairobi = factories.JobFactory(location="Nairobi, Kenya")
    factories.JobFactory(location="Lagos, Nigeria")

    assert listed(seeker_client, location="nairobi") == {nairobi.pk}
    assert listed(seeker_client, location="KENYA") == {nairobi.pk}
    assert listed(seeker_client, location="Accra") == set()


# --- remote -------------------------------------------------------------------------------
def test_remote_filter(seeker_client):
    remote = factories.JobFactory(remote=True)
    onsite = factories.JobFactory(remote=False)

    assert listed(seeker_client, remote="true") == {remote.pk}
    assert listed(seeker_client, remote="false") == {onsite.pk}
    assert listed(seeker_client, remote="1") == {remote.pk}
    assert listed(seeker_client, remote="0") == {onsite.pk}
    assert listed(seeker_client, remote="True") == {remote.pk}
    assert listed(seeker_client) == {remote.pk, onsite.pk}


# --- employment_type ------------------------------------------------------------------------
def test_employment_type_filter(seeker_client):
    contract = factories.JobFactory(employment_type="contract")
    factories.JobFactory(employment_type="full_time")

    assert listed(seeker_client, employment_type="contract") == {contract.pk}
    assert listed(seeker_client, employment_type="internship") == set()


def test_unknown_employment_type_is_400(seeker_client):
    response = seeker_client.get("/api/jobs/", {"employment_type": "gig"})
    assert response.status_code == 400
    assert "employment_type" in response.data


# --- experience_level -------------------------------------------------------------------------
def test_experience_level_filter(seeker_client):
    senior = factories.JobFactory(experience_level="senior")
    factories.JobFactory(experience_level="entry")

    assert listed(seeker_client, experience_level="senior") == {senior.pk}
    assert listed(seeker_client, experience_level="executive") == set()


def test_unknown_experience_level_is_400(seeker_client):
    response = seeker_client.get("/api/jobs/", {"experience_level": "guru"})
    assert response.status_code == 400
    assert "experience_level" in response.data


# --- category ---------------------------------------------------------------------------------
def test_category_filter(seeker_client):
    design = factories.JobFactory(category="design")
    factories.JobFactory(category="tech")

    assert listed(seeker_client, category="design") == {design.pk}
    assert listed(seeker_client, category="DESIGN") == {design.pk}
    assert listed(seeker_client, category="des") == set()  # exact, not a substring
    assert listed(seeker_client, category="finance") == set()


# --- company ------------------------------------------------------------------------------------
def test_company_filter(seeker_client):
    job = factories.JobFactory()
    factories.JobFactory()
    empty = factories.CompanyFactory()

    assert listed(seeker_client, company=job.company_id) == {job.pk}
    assert listed(seeker_client, company=empty.pk) == set()


def test_company_filter_with_a_non_number_is_400(seeker_client):
    response = seeker_client.get("/api/jobs/", {"company": "acme"})
    assert response.status_code == 400
    assert "company" in response.data


# --- salary_min / salary_max ----------------------------------------------------------------------
def test_salary_min_keeps_jobs_whose_range_reaches_it(seeker_client):
    low = factories.JobFactory(salary_min=30_000, salary_max=40_000)
    high = factories.JobFactory(salary_min=50_000, salary_max=90_000)
    floor_only = factories.JobFactory(salary_min=100_000, salary_max=None)

    assert listed(seeker_client, salary_min=80_000) == {high.pk, floor_only.pk}
    assert listed(seeker_client, salary_min=35_000) == {low.pk, high.pk, floor_only.pk}
    assert listed(seeker_client, salary_min=200_000) == set()


def test_salary_max_keeps_jobs_whose_range_starts_below_it(seeker_client):
    low = factories.JobFactory(salary_min=30_000, salary_max=40_000)
    high = factories.JobFactory(salary_min=50_000, salary_max=90_000)

    assert listed(seeker_client, salary_max=45_000) == {low.pk}
    assert listed(seeker_client, salary_max=50_000) == {low.pk, high.pk}
    assert listed(seeker_client, salary_max=10_000) == set()


def test_salary_max_keeps_a_job_that_only_states_its_ceiling(seeker_client):
    ceiling_only = factories.JobFactory(salary_min=None, salary_max=40_000)

    assert listed(seeker_client, salary_max=45_000) == {ceiling_only.pk}
    assert listed(seeker_client, salary_max=30_000) == set()


def test_salary_range_both_ends(seeker_client):
    factories.JobFactory(salary_min=30_000, salary_max=40_000)
    middle = factories.JobFactory(salary_min=50_000, salary_max=70_000)
    factories.JobFactory(salary_min=120_000, salary_max=150_000)

    assert listed(seeker_client, salary_min=45_000, salary_max=100_000) == {middle.pk}


@pytest.mark.parametrize("param", ["salary_min", "salary_max"])
def test_salary_filters_refuse_words(seeker_client, param):
    response = seeker_client.get("/api/jobs/", {param: "lots"})
    assert response.status_code == 400
    assert param in response.data


# --- skills ---------------------------------------------------------------------------------------
def test_skills_filter_needs_every_listed_skill_in_any_case(seeker_client):
    django_job = factories.JobFactory(skills_required=["Python", "Django"])
    flask_job = factories.JobFactory(skills_required=["Python", "Flask"])
    factories.JobFactory(skills_required=["Go"])

    assert listed(seeker_client, skills="python") == {django_job.pk, flask_job.pk}
    assert listed(seeker_client, skills="Python,Django") == {django_job.pk}
    assert listed(seeker_client, skills=" DJANGO , python ") == {django_job.pk}
    assert listed(seeker_client, skills="Python,Rust") == set()
    assert listed(seeker_client, skills="Rust") == set()


def test_empty_skills_filter_is_ignored(seeker_client):
    job = factories.JobFactory()
    assert listed(seeker_client, skills=",,") == {job.pk}


# --- search -----------------------------------------------------------------------------------------
def test_search_looks_in_title_description_company_and_location(seeker_client):
    acme = factories.CompanyFactory(name="Acme Robotics")
    by_title = factories.JobFactory(title="Kotlin Developer")
    by_description = factories.JobFactory(description="You will tune Kubernetes clusters.")
    by_company = factories.JobFactory(company=acme)
    by_location = factories.JobFactory(location="Kigali, Rwanda")

    assert listed(seeker_client, search="kotlin") == {by_title.pk}
    assert listed(seeker_client, search="kubernetes") == {by_description.pk}
    assert listed(seeker_client, search="acme") == {by_company.pk}
    assert listed(seeker_client, search="kigali") == {by_location.pk}
    assert listed(seeker_client, search="cobol") == set()


def test_search_does_not_reveal_drafts(seeker_client):
    factories.JobFactory(title="Secret Kotlin Role", status="draft")
    assert listed(seeker_client, search="kotlin") == set()


# --- ordering ---------------------------------------------------------------------------------------
def test_default_ordering_is_newest_first(seeker_client):
    now = timezone.now()
    old = factories.JobFactory(created_at=now - timedelta(days=2))
    new = factories.JobFactory(created_at=now)
    middle = factories.JobFactory(created_at=now - timedelta(days=1))

    results = seeker_client.get("/api/jobs/").data["results"]

    assert [job["id"] for job in results] == [new.pk, middle.pk, old.pk]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("salary_min", ["cheap", "mid", "dear"]),
        ("-salary_min", ["dear", "mid", "cheap"]),
        ("salary_max", ["cheap", "mid", "dear"]),
        ("title", ["cheap", "dear", "mid"]),
        ("-title", ["mid", "dear", "cheap"]),
        ("created_at", ["mid", "dear", "cheap"]),
    ],
)
def test_ordering(seeker_client, ordering, expected):
    now = timezone.now()
    factories.JobFactory(title="cheap", salary_min=10, salary_max=20, created_at=now)
    factories.JobFactory(title="mid", salary_min=30, salary_max=40, created_at=now - timedelta(days=2))
    factories.JobFactory(title="dear", salary_min=50, salary_max=60, created_at=now - timedelta(days=1))

    results = seeker_client.get("/api/jobs/", {"ordering": ordering}).data["results"]

    assert [job["title"] for job in results] == expected


def test_ordering_by_an_unknown_field_falls_back_to_the_default(seeker_client):
    now = timezone.now()
    old = factories.JobFactory(created_at=now - timedelta(days=1))
    new = factories.JobFactory(created_at=now)

    response = seeker_client.get("/api/jobs/", {"ordering": "posted_by__password"})

    assert response.status_code == 200
    assert [job["id"] for job in response.data["results"]] == [new.pk, old.pk]


# --- combined ---------------------------------------------------------------------------------------
def test_filters_combine(seeker_client):
    target = factories.JobFactory(remote=True, category="tech", employment_type="contract", location="Remote")
    factories.JobFactory(remote=True, category="tech", employment_type="full_time")
    factories.JobFactory(remote=False, category="tech", employment_type="contract")

    assert listed(seeker_client, remote="true", category="tech", employment_type="contract") == {target.pk}
