"""/api/saved-searches/: a job seeker's own searches, checked against the /api/jobs/ filters."""

import pytest

from marketplace.models import SavedSearch
from tests import factories
from tests.conftest import client_for
from tests.marketplace.helpers import ids

pytestmark = pytest.mark.django_db

URL = "/api/saved-searches/"


def test_a_seeker_saves_lists_pauses_and_deletes_a_search(seeker_client, seeker):
    created = seeker_client.post(
        URL,
        {"name": "Remote Python", "query": "django", "filters": {"remote": True, "skills": "Python"}},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.data
    assert body["name"] == "Remote Python" and body["query"] == "django" and body["active"] is True
    # Stored as /api/jobs/ takes them: query-string values.
    assert body["filters"] == {"remote": "true", "skills": "Python"}
    assert set(body) == {"id", "name", "query", "filters", "active", "created_at"}

    listed = seeker_client.get(URL)
    assert [item["id"] for item in listed.data["results"]] == [body["id"]]

    paused = seeker_client.patch(f"{URL}{body['id']}/", {"active": False}, format="json")
    assert paused.status_code == 200 and paused.data["active"] is False
    assert SavedSearch.objects.get(pk=body["id"]).active is False

    renamed = seeker_client.patch(f"{URL}{body['id']}/", {"name": "Py", "filters": {}}, format="json")
    assert renamed.status_code == 200 and renamed.data["filters"] == {} and renamed.data["name"] == "Py"

    assert seeker_client.delete(f"{URL}{body['id']}/").status_code == 204
    assert not SavedSearch.objects.filter(seeker=seeker).exists()


def test_name_is_required_and_query_and_filters_are_optional(seeker_client):
    assert seeker_client.post(URL, {}, format="json").status_code == 400
    assert "name" in seeker_client.post(URL, {"name": "  "}, format="json").data
    response = seeker_client.post(URL, {"name": "Anything"}, format="json")
    assert response.status_code == 201
    assert (response.data["query"], response.data["filters"]) == ("", {})


def test_another_seekers_search_is_not_found(seeker_client):
    theirs = SavedSearch.objects.create(seeker=factories.SeekerFactory(), name="Theirs")
    assert seeker_client.get(URL).data["results"] == []
    assert seeker_client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert seeker_client.patch(f"{URL}{theirs.pk}/", {"active": False}, format="json").status_code == 404
    assert seeker_client.delete(f"{URL}{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.active is True


def test_only_job_seekers_save_searches(recruiter_client, admin_client_jwt, api_client):
    for client in (recruiter_client, admin_client_jwt):
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"name": "x"}, format="json").status_code == 403
    assert api_client.get(URL).status_code == 401


def test_put_is_not_allowed(seeker_client, seeker):
    mine = SavedSearch.objects.create(seeker=seeker, name="Mine")
    assert seeker_client.put(f"{URL}{mine.pk}/", {"name": "x"}, format="json").status_code == 405


@pytest.mark.parametrize(
    ("filters", "named"),
    [
        ({"colour": "blue"}, "colour"),
        ({"employment_type": "gig"}, "employment_type"),
        ({"salary_min": "lots"}, "salary_min"),
        ({"company": "acme"}, "company"),
        ({"status": "archived"}, "status"),
        ({"remote": ["true"]}, "remote"),
        ({"remote": "maybe"}, "remote"),
        ({"search": "python"}, "search"),  # the text is `query`, not a filter
    ],
)
def test_unknown_filters_and_bad_values_are_400_naming_the_filter(seeker_client, filters, named):
    response = seeker_client.post(URL, {"name": "x", "filters": filters}, format="json")
    assert response.status_code == 400, response.content
    assert list(response.data) == ["filters"]
    assert any(message.startswith(f"{named}:") for message in response.data["filters"]), response.data
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize("filters", ["remote=true", ["remote"], 3, None])
def test_filters_that_are_not_an_object_are_400(seeker_client, filters):
    response = seeker_client.post(URL, {"name": "x", "filters": filters}, format="json")
    assert response.status_code == 400
    assert "filters" in response.data


def test_a_bad_patch_changes_nothing(seeker_client, seeker):
    mine = SavedSearch.objects.create(seeker=seeker, name="Mine", filters={"remote": "true"})
    response = seeker_client.patch(f"{URL}{mine.pk}/", {"filters": {"remote": "maybe"}}, format="json")
    assert response.status_code == 400 and "filters" in response.data
    mine.refresh_from_db()
    assert mine.filters == {"remote": "true"}


def test_malformed_json_is_400(seeker_client):
    response = seeker_client.generic("POST", URL, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_every_job_filter_name_is_accepted(seeker_client):
    filters = {
        "status": "open",
        "location": "nairobi",
        "remote": "false",
        "employment_type": "full_time",
        "experience_level": "mid",
        "category": "tech",
        "company": 1,
        "salary_min": 1000,
        "salary_max": 90000,
        "skills": "Python,Django",
    }
    response = seeker_client.post(URL, {"name": "All", "filters": filters}, format="json")
    assert response.status_code == 201, response.content
    assert response.data["filters"]["company"] == "1"


def test_the_saved_search_lists_what_the_jobs_api_lists(seeker):
    """The alert's matching and /api/jobs/ agree: the same query and filters pick the same jobs."""
    from marketplace.job_search import jobs_matching
    from marketplace.models import Job

    client = client_for(seeker)
    acme = factories.CompanyFactory(name="Acme Analytics")
    factories.JobFactory(title="Django developer", remote=True, skills_required=["Python", "Django"])
    factories.JobFactory(title="Data engineer", company=acme, location="Lagos", salary_min=90_000, salary_max=120_000)
    factories.JobFactory(title="Frontend", description="React and django templates", category="web")
    factories.JobFactory(title="Go engineer", skills_required=["Go"], employment_type="contract", remote=True)
    cases = [
        ("", {}),
        ("django", {}),
        ("acme", {}),
        ('"data engineer"', {}),
        ("engineer", {"remote": "true"}),
        ("", {"skills": "python,django"}),
        ("", {"salary_min": "85000"}),
        ("", {"salary_max": "60000", "category": "tech"}),
        ("engineer lagos", {"location": "lag"}),
        ("", {"employment_type": "contract", "experience_level": "mid"}),
        ("nothing-like-this", {}),
    ]
    for query, filters in cases:
        listed = ids(client.get("/api/jobs/", {**filters, **({"search": query} if query else {})}))
        matched = set(jobs_matching(Job.objects.all(), query=query, filters=filters).values_list("pk", flat=True))
        assert matched == listed, (query, filters)


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "query": "a\x00b"},
        {"name": "x" * 101},
        {"name": "x", "query": "q" * 201},
        {"name": "x", "active": "sometimes"},
        {"name": "x", "filters": {"salary_min": "Infinity"}},
    ],
)
def test_other_bad_input_is_400_not_500(seeker_client, body):
    response = seeker_client.post(URL, body, format="json")
    assert response.status_code == 400, response.content


def test_huge_numbers_are_saved_and_match_nothing(seeker_client, seeker):
    from marketplace import services
    from notifications.models import Notification

    response = seeker_client.post(
        URL, {"name": "x", "filters": {"salary_min": 10**30, "company": 10**20}}, format="json"
    )
    assert response.status_code == 201, response.content
    recruiter = factories.RecruiterFactory(company=factories.CompanyFactory())
    services.job_create(company=recruiter.company, posted_by=recruiter, title="T", salary_max=100, status="open")
    assert not Notification.objects.filter(event_type="job_alert").exists()
