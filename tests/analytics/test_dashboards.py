"""The dashboards show each caller their own figures, and nobody else's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics import rollups
from analytics.models import Event, EventSource
from marketplace import services
from marketplace.models import Application
from tests import factories
from tests.analytics.helpers import record
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

DASHBOARD, PLATFORM = "/api/analytics/dashboard/", "/api/analytics/platform/"
LAST_HOUR = rollups.floor_hour(timezone.now()) - timedelta(hours=1)


def rolled_up():
    rollups.rollup_pending()


def apply(job, seeker, *, hours_ago=0):
    application = services.application_create(job=job, candidate=seeker)
    Application.objects.filter(pk=application.pk).update(created_at=timezone.now() - timedelta(hours=hours_ago))
    return application


def test_a_seeker_sees_their_own_applications_and_response_rate(seeker, seeker_client, recruiter):
    jobs = factories.JobFactory.create_batch(3, company=recruiter.company)
    answered = apply(jobs[0], seeker, hours_ago=5)
    apply(jobs[1], seeker)
    withdrawn = apply(jobs[2], seeker)
    services.application_change_status(application=answered, new_status="reviewing", actor=recruiter)
    services.application_change_status(application=withdrawn, new_status="withdrawn", actor=seeker)  # not a response
    someone_else = factories.SeekerFactory()
    apply(jobs[0], someone_else)
    apply(factories.JobFactory(), someone_else)

    body = seeker_client.get(DASHBOARD).json()
    assert body["role"] == "job_seeker"
    mine = body["applications"]
    assert mine["total"] == 3 and mine["responded"] == 1 and mine["response_rate"] == 0.3333
    assert mine["by_status"]["pending"] == 1 and mine["by_status"]["reviewing"] == 1
    assert mine["by_status"]["withdrawn"] == 1 and sum(mine["by_status"].values()) == 3
    assert 4.9 < mine["average_response_hours"] < 5.1


def test_a_seeker_sees_their_own_activity(seeker, seeker_client):
    other = factories.SeekerFactory()
    job = factories.JobFactory(employment_type="contract")
    record("job_search", seeker, hour=LAST_HOUR, minute=1, query="Go")
    record("job_search", seeker, hour=LAST_HOUR, minute=2, query="go")
    record("job_search", seeker, hour=LAST_HOUR, minute=3, query="rust")
    record("job_view", seeker, job, hour=LAST_HOUR, minute=4)
    record("job_search", other, hour=LAST_HOUR, minute=5, query="secret plans")
    rolled_up()

    activity = seeker_client.get(DASHBOARD).json()["activity"]
    assert activity["sessions"] == 1 and activity["searches"] == 3 and activity["job_views"] == 1
    assert activity["top_search_terms"] == [{"term": "go", "count": 2}, {"term": "rust", "count": 1}]
    assert activity["preferred_job_types"] == [{"employment_type": "contract", "count": 1}]


def test_a_recruiter_sees_only_their_company_jobs(recruiter, recruiter_client):
    mine = factories.JobFactory(company=recruiter.company, title="Ours")
    theirs = factories.JobFactory(title="Theirs")
    viewers = factories.SeekerFactory.create_batch(4)
    for i, viewer in enumerate(viewers):
        record("job_view", viewer, mine, hour=LAST_HOUR, minute=i)
        record("job_view", viewer, theirs, hour=LAST_HOUR, minute=i)
    record("job_view", viewers[0], mine, hour=LAST_HOUR, minute=10)
    application = apply(mine, viewers[0], hours_ago=3)
    apply(theirs, viewers[1])
    # The service recorded job_apply just now; move it into the hour that is rolled up.
    Event.objects.filter(event_type="job_apply").update(created_at=LAST_HOUR + timedelta(minutes=20))
    for status in ("reviewing", "shortlisted"):  # the first response counts, not the second
        services.application_change_status(application=application, new_status=status, actor=recruiter)
    rolled_up()

    body = recruiter_client.get(DASHBOARD).json()
    assert body["role"] == "recruiter" and body["company"]["id"] == recruiter.company_id
    assert body["jobs_total"] == 1 and [job["title"] for job in body["jobs"]] == ["Ours"]
    job = body["jobs"][0]
    assert (job["views"], job["unique_views"], job["applications"], job["conversion_rate"]) == (5, 4, 1, 0.25)
    assert job["applications_received"] == 1 and job["responded"] == 1
    assert 2.9 < job["average_response_hours"] < 3.1
    assert body["pipeline"]["shortlisted"] == 1 and sum(body["pipeline"].values()) == 1


def test_a_recruiter_dashboard_costs_the_same_queries_for_many_jobs(
    recruiter, recruiter_client, django_assert_num_queries
):
    from core.caching import invalidate

    factories.JobFactory(company=recruiter.company)
    recruiter_client.get(DASHBOARD)  # warm: the JWT user's company
    invalidate(f"dashboard-company-{recruiter.company_id}")  # computed each time, not served from the cache
    with django_assert_num_queries(13) as one_job:  # + views since the rollup, + applications per day
        assert recruiter_client.get(DASHBOARD).status_code == 200
    factories.JobFactory.create_batch(5, company=recruiter.company)
    invalidate(f"dashboard-company-{recruiter.company_id}")
    with django_assert_num_queries(len(one_job.captured_queries)):
        assert len(recruiter_client.get(DASHBOARD).json()["jobs"]) == 6


def test_a_recruiter_without_a_company_sees_an_empty_dashboard():
    loner = factories.RecruiterFactory(company=None)
    body = client_for(loner).get(DASHBOARD).json()
    assert body["company"] is None and body["jobs"] == [] and body["jobs_total"] == 0


def test_job_analytics_for_its_company(recruiter, recruiter_client, admin_client_jwt):
    job = factories.JobFactory(company=recruiter.company)
    day_before = LAST_HOUR - timedelta(days=1)
    viewer = factories.SeekerFactory(profile__experience_level="senior", profile__location="Accra")
    record("job_view", viewer, job, hour=day_before)
    record("job_view", viewer, job, hour=LAST_HOUR)
    record("job_view", factories.SeekerFactory(profile__experience_level="junior"), job, hour=LAST_HOUR)
    record("job_apply", viewer, job, hour=LAST_HOUR, minute=5, source=EventSource.SERVICE)
    rollups.rollup_pending(since=day_before)

    response = recruiter_client.get(f"/api/analytics/jobs/{job.pk}/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["views"], body["unique_views"], body["applications"], body["conversion_rate"]) == (3, 2, 1, 0.5)
    assert body["daily_stats"] == [
        {"date": str(day_before.date()), "views": 1, "applications": 0, "bookmarks": 0},
        {"date": str(LAST_HOUR.date()), "views": 2, "applications": 1, "bookmarks": 0},
    ]
    assert body["viewers"]["experience_levels"] == {"senior": 2, "junior": 1}
    assert admin_client_jwt.get(f"/api/analytics/jobs/{job.pk}/").json()["views"] == 3


def test_job_analytics_of_another_company_is_not_found(recruiter_client, seeker_client):
    other = factories.JobFactory()
    assert recruiter_client.get(f"/api/analytics/jobs/{other.pk}/").status_code == 404
    assert recruiter_client.get("/api/analytics/jobs/999999/").status_code == 404
    assert seeker_client.get(f"/api/analytics/jobs/{other.pk}/").status_code == 403


def test_job_analytics_days_must_be_sensible(recruiter, recruiter_client):
    job = factories.JobFactory(company=recruiter.company)
    for days in ("0", "366", "x"):
        response = recruiter_client.get(f"/api/analytics/jobs/{job.pk}/", {"days": days})
        assert response.status_code == 400 and "days" in response.json()


def test_the_platform_is_for_admins_only(seeker_client, recruiter_client, api_client):
    assert seeker_client.get(PLATFORM).status_code == 403
    assert recruiter_client.get(PLATFORM).status_code == 403
    assert api_client.get(PLATFORM).status_code == 401
    assert api_client.get(DASHBOARD).status_code == 401


def test_the_platform_figures(admin_user, admin_client_jwt, seeker, recruiter):
    job = factories.JobFactory(company=recruiter.company)
    record("job_view", seeker, job, hour=LAST_HOUR)
    record("job_view", seeker, job, hour=LAST_HOUR, minute=1)
    record("job_search", seeker, hour=LAST_HOUR, minute=2, query="x")
    apply(job, seeker)
    rolled_up()

    body = admin_client_jwt.get(PLATFORM).json()
    assert body["users"]["by_type"] == {"admin": 1, "job_seeker": 1, "recruiter": 1}
    assert body["jobs"]["by_status"]["open"] == 1 and body["applications"]["by_status"]["pending"] == 1
    assert "connections" in body["active_sockets"]
    hour = next(row for row in body["events_per_hour"] if row["by_type"].get("job_view"))
    assert hour["events"] == 3 and hour["by_type"] == {"job_view": 2, "job_search": 1}
    assert admin_client_jwt.get(DASHBOARD).json()["role"] == "admin"
    assert admin_client_jwt.get(PLATFORM, {"hours": "abc"}).status_code == 400


def test_a_cached_dashboard_shows_a_new_application_at_once(db):
    """Dashboards are cached, and an application (or a status change) refreshes its company's and seeker's."""
    from tests import factories
    from tests.conftest import client_for

    recruiter = factories.RecruiterFactory()
    job = factories.JobFactory(company=recruiter.company, status="open")
    client = client_for(recruiter)
    before = client.get("/api/analytics/dashboard/").json()
    assert client.get("/api/analytics/dashboard/").json() == before  # served again, from the cache

    seeker = factories.SeekerFactory()
    seeker_client = client_for(seeker)
    seeker_view = seeker_client.get("/api/analytics/dashboard/").json()
    seeker_client.post(f"/api/jobs/{job.pk}/apply/", {"cover_letter": "Hi"}, format="json")

    assert client.get("/api/analytics/dashboard/").json() != before
    assert seeker_client.get("/api/analytics/dashboard/").json() != seeker_view
