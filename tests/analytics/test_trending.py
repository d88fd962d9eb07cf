"""Trending jobs (matcher) count job views through the analytics rollups."""

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics import rollups
from marketplace.models import Bookmark
from tests import factories
from tests.analytics.helpers import record

pytestmark = pytest.mark.django_db


def test_views_raise_a_job_in_trending(api_client):
    bookmarked = factories.JobFactory()
    viewed = factories.JobFactory()
    Bookmark.objects.create(user=factories.SeekerFactory(), job=bookmarked)  # heat 1.0
    last_hour = rollups.floor_hour(timezone.now()) - timedelta(hours=1)
    viewers = factories.SeekerFactory.create_batch(5)
    for minute in range(30):  # 30 views at 0.1 each: 3.0
        record("job_view", viewers[minute % 5], viewed, hour=last_hour, minute=minute)

    def trending_ids():
        return [item["job"]["id"] for item in api_client.get("/api/ai/trending/").json()]

    assert trending_ids()[0] == bookmarked.pk  # views not rolled up yet: only the bookmark counts
    rollups.rollup_pending()
    body = api_client.get("/api/ai/trending/").json()
    assert [item["job"]["id"] for item in body][:2] == [viewed.pk, bookmarked.pk]
    assert 2.9 < body[0]["trend_score"] < 3.0  # 30 × 0.1, decayed by an hour or two at a 3-day half-life


def trending(api_client, **params) -> list[tuple[int, float]]:
    response = api_client.get("/api/ai/trending/", params)
    assert response.status_code == 200, response.content
    return [(item["job"]["id"], item["trend_score"]) for item in response.json()]


def test_more_viewed_jobs_trend_higher(api_client):
    quiet, busy, busiest = factories.JobFactory(), factories.JobFactory(), factories.JobFactory()
    last_hour = rollups.floor_hour(timezone.now()) - timedelta(hours=1)
    viewers = factories.SeekerFactory.create_batch(3)
    for job, views in ((busiest, 12), (busy, 6), (quiet, 1)):
        for minute in range(views):
            record("job_view", viewers[minute % 3], job, hour=last_hour, minute=minute)
    rollups.rollup_pending()

    assert [job_id for job_id, _ in trending(api_client)] == [busiest.pk, busy.pk, quiet.pk]


def test_searches_lift_the_jobs_that_ask_for_the_searched_skill(api_client):
    kubernetes = [factories.JobFactory(skills_required=["Kubernetes", "Go"], skill_names=["kubernetes", "go"])]
    kubernetes.append(factories.JobFactory(skills_required=["Kubernetes"], skill_names=["kubernetes"]))
    figma = factories.JobFactory(skills_required=["Figma"], skill_names=["figma"])
    Bookmark.objects.create(user=factories.SeekerFactory(), job=figma)  # heat 1.0
    last_hour = rollups.floor_hour(timezone.now()) - timedelta(hours=1)
    searchers = factories.SeekerFactory.create_batch(4)
    for minute in range(16):  # 16 searches × 0.5, shared by the two jobs asking for Kubernetes: 4.0 each
        record("job_search", searchers[minute % 4], hour=last_hour, minute=minute, query="kubernetes")
    record("job_search", searchers[0], hour=last_hour, minute=20, query="backend")  # names no skill
    rollups.rollup_pending()

    ranked = trending(api_client)
    assert {job_id for job_id, _ in ranked[:2]} == {job.pk for job in kubernetes}
    assert ranked[2][0] == figma.pk
    assert all(3.9 < heat < 4.0 for _, heat in ranked[:2])  # decayed by an hour or two


def test_interest_older_than_30_days_is_ignored(api_client):
    old, recent = factories.JobFactory(), factories.JobFactory()
    seeker = factories.SeekerFactory()
    Bookmark.objects.filter(pk=Bookmark.objects.create(user=seeker, job=old).pk).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    Bookmark.objects.filter(pk=Bookmark.objects.create(user=seeker, job=recent).pk).update(
        created_at=timezone.now() - timedelta(days=29)
    )

    heat = dict(trending(api_client))
    assert heat[old.pk] == 0.0  # shown only as one of the newest jobs that fill a quiet list
    assert heat[recent.pk] > 0.0
