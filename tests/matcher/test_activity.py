"""The recent-activity factor as a seeker sees it in an explanation: what they viewed, searched, bookmarked,
applied to and liked in the last 30 days, each weighed as matcher/behaviour.py says; older activity is ignored."""

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics.models import EventSource
from analytics.services import event_record
from marketplace.models import Application, Bookmark
from matcher import features
from matcher.behaviour import ACT_WEIGHTS, ACTIVITY_DAYS, Act
from matcher.models import RecommendationFeedback
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

EVENTS = "/api/analytics/events/"


def activity_score(seeker, job) -> float:
    response = client_for(seeker).get(f"/api/ai/recommendations/{job.pk}/explanation/")
    assert response.status_code == 200, response.content
    return response.json()["factors"]["recent_activity"]["score"]


@pytest.fixture
def jobs():
    """A job acted on, a job of the same category and company, and one of neither."""
    tech = factories.CompanyFactory(name="Savanna Pay")
    return {
        "acted_on": factories.JobFactory(company=tech, category="tech", skills_required=["Kubernetes"]),
        "sibling": factories.JobFactory(company=tech, category="tech", skills_required=["Figma"]),
        "elsewhere": factories.JobFactory(category="design", skills_required=["Figma"]),
    }


def view(seeker, job):
    response = client_for(seeker).post(EVENTS, {"event_type": "job_view", "job_id": job.pk}, format="json")
    assert response.status_code == 201, response.content


def search(seeker, job):
    metadata = {"query": "Kubernetes", "filters": {"remote": "true"}}
    response = client_for(seeker).post(EVENTS, {"event_type": "job_search", "metadata": metadata}, format="json")
    assert response.status_code == 201, response.content


def bookmark(seeker, job):
    assert client_for(seeker).post(f"/api/jobs/{job.pk}/bookmark/").status_code == 201


def apply(seeker, job):
    assert client_for(seeker).post(f"/api/jobs/{job.pk}/apply/", {}, format="json").status_code == 201


def like(seeker, job):
    response = client_for(seeker).post("/api/ai/feedback/", {"job_id": job.pk, "feedback": "relevant"}, format="json")
    assert response.status_code in (200, 201), response.content


@pytest.mark.parametrize("act", [view, bookmark, apply, like])
def test_each_act_on_a_job_lifts_it_and_its_category_and_company(jobs, act):
    seeker = factories.SeekerFactory()
    assert {name: activity_score(seeker, job) for name, job in jobs.items()} == dict.fromkeys(jobs, 50.0)

    act(seeker, jobs["acted_on"])

    assert activity_score(seeker, jobs["acted_on"]) == 100.0
    assert activity_score(seeker, jobs["sibling"]) == 100.0  # 30 + 50 (its category) + 20 (its company)
    assert activity_score(seeker, jobs["elsewhere"]) == 30.0


def test_a_search_lifts_the_jobs_that_ask_for_the_skill_it_names(jobs):
    seeker = factories.SeekerFactory()
    search(seeker, jobs["acted_on"])

    assert activity_score(seeker, jobs["acted_on"]) == 50.0  # 30 + 20: asks for the searched Kubernetes
    assert activity_score(seeker, jobs["sibling"]) == 30.0
    assert activity_score(seeker, jobs["elsewhere"]) == 30.0


def test_activity_older_than_30_days_is_ignored(jobs):
    seeker = factories.SeekerFactory()
    job = jobs["acted_on"]
    old = timezone.now() - timedelta(days=ACTIVITY_DAYS, hours=1)
    event_record(event_type="job_view", user=seeker, job_id=job.pk, source=EventSource.CLIENT, created_at=old)
    event_record(event_type="job_search", user=seeker, metadata={"query": "kubernetes"}, created_at=old)
    Application.objects.filter(pk=factories.ApplicationFactory(job=job, candidate=seeker).pk).update(created_at=old)
    Bookmark.objects.filter(pk=Bookmark.objects.create(user=seeker, job=job).pk).update(created_at=old)
    RecommendationFeedback.objects.create(seeker=seeker, job=job, feedback="relevant", created_at=old)

    assert activity_score(seeker, job) == 50.0  # as if they had done nothing

    recent = timezone.now() - timedelta(days=ACTIVITY_DAYS - 1)
    event_record(event_type="job_view", user=seeker, job_id=job.pk, source=EventSource.CLIENT, created_at=recent)
    assert activity_score(seeker, job) == 100.0


def test_an_application_says_more_than_a_few_views():
    seeker = factories.SeekerFactory()
    applied = factories.JobFactory(category="data")
    viewed = factories.JobFactory(category="design")
    apply(seeker, applied)
    for _ in range(3):
        view(seeker, viewed)
    other_data = factories.JobFactory(category="data")
    other_design = factories.JobFactory(category="design")

    # Category affinity is each category's weighed acts over the top one's: 3 views × 0.1 against 3.0.
    design = 3 * ACT_WEIGHTS[Act.VIEW] / ACT_WEIGHTS[Act.APPLICATION]
    assert activity_score(seeker, other_data) == 80.0
    assert activity_score(seeker, other_design) == pytest.approx(30 + 50 * design, abs=0.01)
    assert activity_score(seeker, other_data) > activity_score(seeker, other_design)


def test_reading_the_activity_of_many_seekers_takes_a_fixed_number_of_queries(django_assert_num_queries):
    job = factories.JobFactory()
    seekers = factories.SeekerFactory.create_batch(6)
    for seeker in seekers:
        view(seeker, job)
        search(seeker, job)
        bookmark(seeker, job)
    # applications, bookmarks, feedback, and the analytics events (views and searches): whatever the number
    with django_assert_num_queries(4):
        activity = features.recent_activity([seeker.pk for seeker in seekers])
    assert all(activity.jobs[seeker.pk] == {job.pk} for seeker in seekers)
    assert all(activity.searched[seeker.pk] == {"kubernetes": 1} for seeker in seekers)
