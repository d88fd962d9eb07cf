"""The 7-day application forecast (pure) and the insights of a company's open jobs (API)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics import forecast
from analytics.models import JobHourlyStats
from tests import factories
from tests.conftest import client_for


def test_a_fading_job_is_forecast_below_last_week_repeated():
    daily = [12, 10, 9, 8, 7, 6, 6, 5, 5, 4, 4, 3, 3, 3]
    assert forecast.decay_of(daily) < 1
    assert forecast.forecast_applications(daily) < forecast.naive_applications(daily) == sum(daily[-7:])


def test_a_steady_job_is_forecast_near_its_rate_and_an_empty_one_at_zero():
    assert forecast.forecast_applications([4] * 21) == pytest.approx(28, rel=0.05)
    assert forecast.forecast_applications([]) == 0
    assert forecast.forecast_applications([0] * 10) == 0


def test_one_odd_week_cannot_explode_the_forecast():
    daily = [0] * 7 + [30] * 7
    assert forecast.decay_of(daily) == forecast.MAX_DECAY
    assert forecast.forecast_applications(daily) < 7 * 30 * 1.5


def test_well_below_needs_enough_peers_and_half_their_median():
    assert forecast.well_below(1, [10, 12, 8])
    assert not forecast.well_below(6, [10, 12, 8])
    assert not forecast.well_below(1, [10, 12])  # two peers say too little


@pytest.mark.django_db
def test_insights_forecast_each_open_job_and_flag_one_nobody_sees(recruiter):
    now = timezone.now()
    job = factories.JobFactory(company=recruiter.company, category="support", title="Support Lead")
    job.published_at = job.created_at = now - timedelta(days=14)
    job.save()
    for days_ago in range(1, 15):
        for _ in range(2):
            factories.ApplicationFactory(job=job, created_at=now - timedelta(days=days_ago))
    peers = [factories.JobFactory(category="support") for _ in range(3)]
    hour = (now - timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
    for peer in peers:
        JobHourlyStats.objects.create(job=peer, hour=hour, views=300)
    factories.JobFactory(company=recruiter.company, status="closed")  # closed: no forecast

    rows = client_for(recruiter).get("/api/analytics/insights/").json()

    assert [row["title"] for row in rows] == ["Support Lead"]
    assert rows[0]["applications_last_7_days"] == 14
    assert 8 <= rows[0]["forecast_next_7_days"] <= 16
    assert rows[0]["below_category"] == ["views"]
    assert client_for(factories.SeekerFactory()).get("/api/analytics/insights/").status_code == 403
