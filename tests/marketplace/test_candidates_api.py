"""Candidate search: recruiters and admins only, with every filter of the contract."""

import pytest

from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def candidate(**profile):
    """A job seeker whose profile has the given fields; returns the user (candidate ids are user ids)."""
    user = factories.SeekerFactory()
    for field, value in profile.items():
        setattr(user.profile, field, value)
    if "skills" in profile:
        user.profile.skill_names = [skill["name"].lower() for skill in profile["skills"]]
    user.profile.save()
    return user


def skills(*names):
    return [{"name": name, "level": "advanced", "years": 2} for name in names]


def found(client, **params) -> set:
    """The candidates (user ids) the search returns."""
    response = client.get("/api/candidates/", params)
    assert response.status_code == 200, response.content
    return {item["user"]["id"] for item in response.data["results"]}


# --- who may search -------------------------------------------------------------------------
def test_seeker_gets_403(seeker_client):
    response = seeker_client.get("/api/candidates/")
    assert response.status_code == 403
    assert "detail" in response.data


def test_seeker_cannot_read_another_candidate(seeker_client):
    other = candidate()
    assert seeker_client.get(f"/api/candidates/{other.pk}/").status_code == 403


def test_anonymous_gets_401(api_client):
    assert api_client.get("/api/candidates/").status_code == 401


def test_recruiter_lists_candidates(recruiter_client):
    ada = candidate(headline="Compiler engineer")

    response = recruiter_client.get("/api/candidates/")

    assert response.status_code == 200
    assert response.data["count"] == 1
    result = response.data["results"][0]
    assert result["user"]["id"] == ada.pk
    assert result["user"]["user_type"] == "job_seeker"
    assert result["headline"] == "Compiler engineer"
    assert result["skills"] == [{"name": "Python", "level": "advanced", "years": 3}]


def test_admin_lists_candidates(admin_client_jwt):
    ada = candidate()
    assert found(admin_client_jwt) == {ada.pk}


def test_recruiter_reads_one_candidate_by_user_id(recruiter_client):
    ada = candidate(headline="Data scientist")
    response = recruiter_client.get(f"/api/candidates/{ada.pk}/")
    assert response.status_code == 200
    assert response.data["headline"] == "Data scientist"


def test_only_active_job_seekers_are_candidates(recruiter_client):
    active = candidate()
    inactive = candidate()
    inactive.is_active = False
    inactive.save()
    assert found(recruiter_client) == {active.pk}


def test_an_unknown_candidate_is_404(recruiter_client, recruiter):
    assert recruiter_client.get("/api/candidates/999999/").status_code == 404
    assert recruiter_client.get(f"/api/candidates/{recruiter.pk}/").status_code == 404  # not a job seeker
    assert recruiter_client.get("/api/candidates/abc/").status_code == 404


def test_recruiters_cannot_write_candidates(recruiter_client):
    ada = candidate(headline="Keep")
    assert recruiter_client.patch(f"/api/candidates/{ada.pk}/", {"headline": "x"}, format="json").status_code == 405
    ada.profile.refresh_from_db()
    assert ada.profile.headline == "Keep"


# --- filters ----------------------------------------------------------------------------------
def test_skills_filter_needs_every_skill_in_any_case(recruiter_client):
    both = candidate(skills=skills("Python", "Django"))
    python_only = candidate(skills=skills("Python"))
    candidate(skills=skills("Go"))

    assert found(recruiter_client, skills="python") == {both.pk, python_only.pk}
    assert found(recruiter_client, skills="DJANGO,Python") == {both.pk}
    assert found(recruiter_client, skills="Rust") == set()


def test_location_filter(recruiter_client):
    nairobi = candidate(location="Nairobi, Kenya")
    candidate(location="Lagos, Nigeria")

    assert found(recruiter_client, location="nairobi") == {nairobi.pk}
    assert found(recruiter_client, location="Cairo") == set()


def test_experience_filters(recruiter_client):
    junior = candidate(experience_years=1)
    mid = candidate(experience_years=5)
    senior = candidate(experience_years=12)

    assert found(recruiter_client, experience_min=5) == {mid.pk, senior.pk}
    assert found(recruiter_client, experience_max=5) == {junior.pk, mid.pk}
    assert found(recruiter_client, experience_min=2, experience_max=10) == {mid.pk}
    assert found(recruiter_client, experience_min=20) == set()
    assert found(recruiter_client, experience_max=0) == set()


def test_salary_filters(recruiter_client):
    modest = candidate(desired_salary_min=30_000, desired_salary_max=40_000)
    ambitious = candidate(desired_salary_min=90_000, desired_salary_max=120_000)
    open_minded = candidate(desired_salary_min=None, desired_salary_max=None)

    # salary_min: what the recruiter can at least pay reaches the candidate's range.
    assert found(recruiter_client, salary_min=100_000) == {ambitious.pk, open_minded.pk}
    # salary_max: the candidate would accept no more than the recruiter's ceiling.
    assert found(recruiter_client, salary_max=50_000) == {modest.pk, open_minded.pk}
    assert found(recruiter_client, salary_min=35_000, salary_max=50_000) == {modest.pk, open_minded.pk}
    assert found(recruiter_client, salary_min=200_000, salary_max=300_000) == {open_minded.pk}


def test_availability_filter_takes_one_or_several(recruiter_client):
    now = candidate(availability="immediate")
    soon = candidate(availability="two_weeks")
    candidate(availability="not_looking")

    assert found(recruiter_client, availability="immediate") == {now.pk}
    assert found(recruiter_client, availability=["immediate", "two_weeks"]) == {now.pk, soon.pk}
    assert found(recruiter_client, availability="three_months") == set()


def test_unknown_availability_is_400(recruiter_client):
    response = recruiter_client.get("/api/candidates/", {"availability": "someday"})
    assert response.status_code == 400
    assert "availability" in response.data


def test_search(recruiter_client):
    by_headline = candidate(headline="Kubernetes whisperer")
    by_summary = candidate(summary="I love Haskell.")
    by_location = candidate(location="Kigali")
    named = candidate()
    named.first_name, named.last_name = "Wangari", "Maathai"
    named.save()

    assert found(recruiter_client, search="kubernetes") == {by_headline.pk}
    assert found(recruiter_client, search="haskell") == {by_summary.pk}
    assert found(recruiter_client, search="kigali") == {by_location.pk}
    assert found(recruiter_client, search="wangari") == {named.pk}
    assert found(recruiter_client, search="fortran") == set()


@pytest.mark.parametrize("param", ["experience_min", "experience_max", "salary_min", "salary_max"])
def test_number_filters_refuse_words(recruiter_client, param):
    response = recruiter_client.get("/api/candidates/", {param: "many"})
    assert response.status_code == 400
    assert param in response.data


def test_recruiter_without_company_may_still_search():
    ada = candidate()
    assert found(client_for(factories.RecruiterFactory(company=None))) == {ada.pk}
