"""The hourly rollup against a hand-counted hour, run twice, incrementally and from the command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from analytics import rollups
from analytics.models import Event, EventHourlyCount, EventSource, JobHourlyStats, JobViewer, UserHourlyStats
from tests import factories
from tests.analytics.helpers import HOUR, at, record, snapshot

pytestmark = pytest.mark.django_db

SERVICE = EventSource.SERVICE


@pytest.fixture
def hour_of_events():
    """One hour of events, counted by hand below (times are minutes past 10:00)."""
    job_a = factories.JobFactory(employment_type="full_time")
    job_b = factories.JobFactory(employment_type="contract")
    s1 = factories.SeekerFactory(profile__experience_level="mid", profile__location="Nairobi, Kenya")
    s2 = factories.SeekerFactory(profile__experience_level="senior", profile__location="Lagos, Nigeria")
    s3 = factories.SeekerFactory(profile__experience_level="", profile__location="")
    record("job_view", s1, job_b, minute=-20)  # 09:40, the hour before: s1's 10:01 continues that session
    record("job_search", s1, minute=1, query="Python  Developer")
    record("job_view", s1, job_a, minute=5)
    record("job_view", s1, job_a, minute=10)
    record("job_apply", s1, job_a, minute=14)  # posted by the client as well: not a second application
    record("job_apply", s1, job_a, minute=15, source=SERVICE)
    record("job_search", s1, minute=50, query="python developer")  # 35 minutes after 10:15: a new session
    record("job_view", s2, job_a, minute=20)
    record("job_search", s2, minute=21, query="Django")
    record("job_bookmark", s2, job_a, minute=25, source=SERVICE)
    record("job_view", s3, job_b, minute=50)
    record("profile_view", None, minute=30, source=SERVICE, profile_id=s1.pk)
    record("job_view", s2, job_a, minute=60)  # 11:00 sharp: the next hour
    return {"a": job_a, "b": job_b, "s1": s1, "s2": s2, "s3": s3}


def job_rows():
    return {
        row["job_id"]: row
        for row in JobHourlyStats.objects.filter(hour=HOUR).values(
            "job_id", "views", "unique_viewers", "applications", "bookmarks", "viewer_levels", "viewer_locations"
        )
    }


def test_figures_match_the_hand_count(hour_of_events):
    a, b, s1, s2, s3 = (hour_of_events[k] for k in ("a", "b", "s1", "s2", "s3"))
    rollups.rollup_hour(HOUR)

    assert job_rows() == {
        a.pk: {
            "job_id": a.pk, "views": 3, "unique_viewers": 2, "applications": 1, "bookmarks": 1,
            "viewer_levels": {"mid": 1, "senior": 1},
            "viewer_locations": {"Nairobi, Kenya": 1, "Lagos, Nigeria": 1},
        },
        b.pk: {
            "job_id": b.pk, "views": 1, "unique_viewers": 1, "applications": 0, "bookmarks": 0,
            "viewer_levels": {"unknown": 1}, "viewer_locations": {"unknown": 1},
        },
    }  # fmt: skip
    users = {
        row["user_id"]: row
        for row in UserHourlyStats.objects.filter(hour=HOUR).values(
            "user_id", "events", "sessions", "job_views", "jobs_viewed", "jobs_applied", "searches",
            "search_terms", "job_types",
        )
    }  # fmt: skip
    assert users == {
        s1.pk: {
            "user_id": s1.pk, "events": 6, "sessions": 1, "job_views": 2, "jobs_viewed": 1, "jobs_applied": 1,
            "searches": 2, "search_terms": {"python developer": 2}, "job_types": {"full_time": 4},
        },
        s2.pk: {
            "user_id": s2.pk, "events": 3, "sessions": 1, "job_views": 1, "jobs_viewed": 1, "jobs_applied": 0,
            "searches": 1, "search_terms": {"django": 1}, "job_types": {"full_time": 2},
        },
        s3.pk: {
            "user_id": s3.pk, "events": 1, "sessions": 1, "job_views": 1, "jobs_viewed": 1, "jobs_applied": 0,
            "searches": 0, "search_terms": {}, "job_types": {"contract": 1},
        },
    }  # fmt: skip
    counts = set(EventHourlyCount.objects.filter(hour=HOUR).values_list("event_type", "events", "users"))
    assert counts == {
        ("job_view", 4, 3),
        ("job_apply", 2, 1),
        ("job_bookmark", 1, 1),
        ("job_search", 3, 2),
        ("profile_view", 1, 0),
    }
    assert set(JobViewer.objects.values_list("job_id", "user_id", "first_viewed_at")) == {
        (a.pk, s1.pk, at(5)),
        (a.pk, s2.pk, at(20)),
        (b.pk, s3.pk, at(50)),
    }
    assert rollups.watermark() == HOUR + timedelta(hours=1)


def test_rolling_up_the_same_hour_twice_gives_identical_rows(hour_of_events):
    rollups.rollup_hour(HOUR)
    first = snapshot()
    rollups.rollup_hour(HOUR)
    assert snapshot() == first
    assert first["JobHourlyStats"] and first["UserHourlyStats"]


def test_a_rerun_drops_figures_whose_events_are_gone_and_keeps_the_earliest_view(hour_of_events):
    a, b, s3 = hour_of_events["a"], hour_of_events["b"], hour_of_events["s3"]
    rollups.rollup_hour(HOUR + timedelta(hours=1))  # 11:00 first: s2 viewed a at 11:00
    rollups.rollup_hour(HOUR)  # then 10:00, out of order: s2's first view is 10:20
    assert JobViewer.objects.get(job=a, user=hour_of_events["s2"]).first_viewed_at == at(20)
    Event.objects.filter(user=s3).delete()
    rollups.rollup_hour(HOUR)
    assert set(job_rows()) == {a.pk}
    assert not UserHourlyStats.objects.filter(user=s3, hour=HOUR).exists()
    assert b.pk not in set(JobHourlyStats.objects.values_list("job_id", flat=True))


def test_a_session_is_counted_in_the_hour_it_starts():
    seeker, job = factories.SeekerFactory(), factories.JobFactory()
    for minute in (50, 70, 100, 131):  # 10:50 starts one; 11:10, 11:40 continue it; 12:11 is 31 min later
        record("job_view", seeker, job, minute=minute)
    rollups.rollup_pending(now=HOUR + timedelta(hours=3))
    sessions = dict(UserHourlyStats.objects.values_list("hour", "sessions"))
    assert sessions == {HOUR: 1, HOUR + timedelta(hours=1): 0, HOUR + timedelta(hours=2): 1}


def test_each_run_rolls_up_only_the_hours_since_the_watermark(hour_of_events):
    assert rollups.rollup_pending(now=HOUR + timedelta(hours=2, minutes=1)) == 3  # 09:00, 10:00, 11:00
    assert rollups.watermark() == HOUR + timedelta(hours=2)
    record("job_view", hour_of_events["s1"], hour_of_events["a"], minute=130)  # 12:10
    hours = rollups.pending_hours(now=HOUR + timedelta(hours=3, minutes=5))
    # 11:00 again (an event committed late still counts), then the new 12:00
    assert list(hours) == [HOUR + timedelta(hours=1), HOUR + timedelta(hours=2)]
    assert rollups.rollup_pending(now=HOUR + timedelta(hours=3, minutes=5)) == 2
    assert JobHourlyStats.objects.get(job=hour_of_events["a"], hour=HOUR + timedelta(hours=2)).views == 1


def test_without_events_nothing_is_pending():
    assert rollups.rollup_pending() == 0


def test_the_command_backfills_hour_by_hour_from_since(hour_of_events):
    out, err = StringIO(), StringIO()
    call_command(
        "rollup_analytics", "--since", "2026-01-05T09:00", "--until", "2026-01-05T12:00", stdout=out, stderr=err
    )
    assert "Rolled up 3 hour(s) from 2026-01-05 09:00 to 2026-01-05 12:00 UTC." in out.getvalue()
    assert "3/3" in err.getvalue()  # the progress bar
    assert set(JobHourlyStats.objects.values_list("hour", flat=True)) == {
        HOUR - timedelta(hours=1),
        HOUR,
        HOUR + timedelta(hours=1),
    }
    with pytest.raises(CommandError, match="ISO"):
        call_command("rollup_analytics", "--since", "yesterday")
