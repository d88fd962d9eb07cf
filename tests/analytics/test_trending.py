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
