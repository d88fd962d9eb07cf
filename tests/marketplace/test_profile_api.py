"""The job seeker's own profile and preferences at /api/profile/."""

import pytest

from marketplace.models import JobSeekerProfile
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_seeker_reads_own_profile(seeker_client, seeker):
    response = seeker_client.get("/api/profile/")

    assert response.status_code == 200
    assert response.data["user"]["id"] == seeker.pk
    assert response.data["headline"] == "Backend developer"
    assert response.data["skills"] == [{"name": "Python", "level": "advanced", "years": 3}]


def test_a_seeker_without_a_profile_gets_an_empty_one():
    user = factories.UserFactory(user_type="job_seeker")  # no profile row yet
    response = client_for(user).get("/api/profile/")
    assert response.status_code == 200
    assert response.data["skills"] == []
    assert JobSeekerProfile.objects.filter(user=user).exists()


def test_patch_updates_preferences(seeker_client, seeker):
    response = seeker_client.patch(
        "/api/profile/",
        {
            "headline": "Senior Django developer",
            "location": "Mombasa",
            "experience_years": 7,
            "experience_level": "senior",
            "desired_salary_min": 70000,
            "desired_salary_max": 95000,
            "preferred_employment_types": ["full_time", "contract"],
            "preferred_locations": ["Nairobi", "Remote"],
            "remote": True,
            "availability": "one_month",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    profile = JobSeekerProfile.objects.get(user=seeker)
    assert profile.headline == "Senior Django developer"
    assert profile.experience_years == 7
    assert profile.preferred_employment_types == ["full_time", "contract"]
    assert profile.preferred_locations == ["Nairobi", "Remote"]
    assert profile.remote is True
    assert profile.availability == "one_month"
    assert response.data["desired_salary_max"] == 95000


def test_skills_as_objects(seeker_client, seeker):
    response = seeker_client.patch(
        "/api/profile/",
        {"skills": [{"name": "Django", "level": "expert", "years": 6}, {"name": "SQL", "years": 2.5}]},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.data["skills"][0] == {"name": "Django", "level": "expert", "years": 6}
    assert response.data["skills"][1]["name"] == "SQL"
    assert response.data["skills"][1]["years"] == 2.5
    assert JobSeekerProfile.objects.get(user=seeker).skill_names == ["django", "sql"]


def test_skills_as_plain_names(seeker_client, seeker):
    response = seeker_client.patch("/api/profile/", {"skills": ["Python", "  Django ", "python"]}, format="json")

    assert response.status_code == 200, response.content
    assert [skill["name"] for skill in response.data["skills"]] == ["Python", "Django"]
    assert JobSeekerProfile.objects.get(user=seeker).skill_names == ["python", "django"]


def test_new_skills_make_the_seeker_findable(seeker_client, seeker, recruiter_client):
    seeker_client.patch("/api/profile/", {"skills": ["Elixir"]}, format="json")
    response = recruiter_client.get("/api/candidates/", {"skills": "elixir"})
    assert [item["user"]["id"] for item in response.data["results"]] == [seeker.pk]


def test_put_replaces_the_profile(seeker_client, seeker):
    response = seeker_client.put("/api/profile/", {"headline": "Tester", "skills": ["pytest"]}, format="json")
    assert response.status_code == 200, response.content
    assert response.data["headline"] == "Tester"
    assert [skill["name"] for skill in response.data["skills"]] == ["pytest"]


def test_desired_salary_range_must_be_ordered(seeker_client, seeker):
    response = seeker_client.patch(
        "/api/profile/", {"desired_salary_min": 90000, "desired_salary_max": 10000}, format="json"
    )
    assert response.status_code == 400
    assert "desired_salary_max" in response.data
    assert JobSeekerProfile.objects.get(user=seeker).desired_salary_min is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("availability", "someday"),
        ("experience_level", "wizard"),
        ("preferred_employment_types", ["gig"]),
        ("skills", [{"name": "Python", "level": "godlike"}]),
        ("skills", [{"level": "expert"}]),
        ("skills", [{"name": "Python", "years": -1}]),
        ("experience_years", -3),
    ],
)
def test_invalid_values_are_400_naming_the_field(seeker_client, seeker, field, value):
    response = seeker_client.patch("/api/profile/", {field: value}, format="json")
    assert response.status_code == 400
    assert field in response.data


def test_user_fields_are_read_only(seeker_client, seeker):
    seeker_client.patch("/api/profile/", {"user": {"email": "hacker@example.com"}}, format="json")
    seeker.refresh_from_db()
    assert seeker.email != "hacker@example.com"


def test_recruiter_has_no_profile(recruiter_client):
    assert recruiter_client.get("/api/profile/").status_code == 403
    assert recruiter_client.patch("/api/profile/", {"headline": "x"}, format="json").status_code == 403


def test_anonymous_has_no_profile(api_client):
    assert api_client.get("/api/profile/").status_code == 401
