"""Reads of the rollup tables that the dashboards and other apps (trending jobs) share.

Everything here reads rollups, never raw events, so the cost of a read does not grow with traffic; figures
are as of the rollup watermark (`as_of`). Each function is one or two queries, whatever the number of jobs.
One exception, `seeker_behaviour`: matching needs which jobs each seeker viewed, which no rollup keeps; it reads
the events of the seekers it scores, and of their last 30 days only.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate
from django.utils import timezone

from analytics import rollups
from analytics.models import Event, EventHourlyCount, EventType, JobHourlyStats, JobViewer, UserHourlyStats
from core.sql import sql_tables
from marketplace.skills import search_skills
from matcher.behaviour import Act, JobAct, SearchAct


@dataclass(frozen=True)
class JobTotals:
    views: int = 0
    unique_views: int = 0
    applications: int = 0
    bookmarks: int = 0

    @property
    def conversion_rate(self) -> float:
        """Applications per unique viewer, 0 when nobody viewed the job."""
        return round(self.applications / self.unique_views, 4) if self.unique_views else 0.0


def as_of() -> datetime | None:
    return rollups.watermark()


def job_totals(job_ids: list[int]) -> dict[int, JobTotals]:
    """Lifetime figures of each job (two queries for any number of jobs); a job without events gets zeros."""
    if not job_ids:
        return {}
    sums = {
        row["job_id"]: row
        for row in JobHourlyStats.objects.filter(job_id__in=job_ids)
        .values("job_id")
        .annotate(views=Sum("views"), applications=Sum("applications"), bookmarks=Sum("bookmarks"))
    }
    uniques = dict(
        JobViewer.objects.filter(job_id__in=job_ids).values("job_id").annotate(n=Count("id")).values_list("job_id", "n")
    )
    totals = {}
    for job_id in job_ids:
        row = sums.get(job_id, {})
        totals[job_id] = JobTotals(
            views=row.get("views") or 0,
            unique_views=uniques.get(job_id, 0),
            applications=row.get("applications") or 0,
            bookmarks=row.get("bookmarks") or 0,
        )
    return totals


def job_daily_stats(job_id: int, *, since: date) -> list[dict]:
    """[{date, views, applications}] for each day from `since` on that has any figure, oldest first."""
    rows = (
        JobHourlyStats.objects.filter(job_id=job_id, hour__date__gte=since)
        .annotate(date=TruncDate("hour"))
        .values("date")
        .annotate(views=Sum("views"), applications=Sum("applications"), bookmarks=Sum("bookmarks"))
        .order_by("date")
    )
    return [
        {"date": row["date"], "views": row["views"], "applications": row["applications"], "bookmarks": row["bookmarks"]}
        for row in rows
    ]


def _summed_json(table: str, column: str, key_column: str, key: int, since: datetime, limit: int) -> dict[str, int]:
    # Sums JSON count maps over hours in SQL (jsonb_each_text), most frequent first.
    sql = f"""
        SELECT item.key, SUM(item.value::int) AS n
        FROM {table} s, jsonb_each_text(s.{column}) AS item
        WHERE s.{key_column} = %s AND s.hour >= %s
        GROUP BY item.key ORDER BY n DESC, item.key LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, since, limit])
        return {name: int(n) for name, n in cursor.fetchall()}


def job_viewer_breakdown(job_id: int, *, since: datetime, limit: int = 10) -> dict[str, dict[str, int]]:
    """Viewers by experience level and by location since `since` (each hour's distinct viewers, summed)."""
    return {
        "experience_levels": _summed_json("analytics_jobhourlystats", "viewer_levels", "job_id", job_id, since, limit),
        "locations": _summed_json("analytics_jobhourlystats", "viewer_locations", "job_id", job_id, since, limit),
    }


def user_activity(user_id: int, *, since: datetime, top: int = 5) -> dict:
    """A user's sessions, views, applications and searches since `since`, their most searched terms and the
    employment types of the jobs they looked at, most frequent first."""
    sums = UserHourlyStats.objects.filter(user_id=user_id, hour__gte=since).aggregate(
        sessions=Sum("sessions"),
        job_views=Sum("job_views"),
        jobs_viewed=Sum("jobs_viewed"),
        jobs_applied=Sum("jobs_applied"),
        searches=Sum("searches"),
    )
    return {
        **{name: value or 0 for name, value in sums.items()},
        "top_search_terms": [
            {"term": term, "count": n}
            for term, n in _summed_json(
                "analytics_userhourlystats", "search_terms", "user_id", user_id, since, top
            ).items()
        ],
        "preferred_job_types": [
            {"employment_type": kind, "count": n}
            for kind, n in _summed_json(
                "analytics_userhourlystats", "job_types", "user_id", user_id, since, top
            ).items()
        ],
    }


def events_per_hour(*, since: datetime) -> list[dict]:
    """[{hour, events, by_type {type: n}}] for every rolled-up hour since `since` that had events, oldest first."""
    by_hour: dict[datetime, dict[str, int]] = {}
    for hour, event_type, events in (
        EventHourlyCount.objects.filter(hour__gte=since).order_by("hour").values_list("hour", "event_type", "events")
    ):
        by_hour.setdefault(hour, {})[event_type] = events
    return [{"hour": hour, "events": sum(types.values()), "by_type": types} for hour, types in by_hour.items()]


def job_view_heat(*, days: int, half_life_days: float, now: datetime | None = None) -> dict[int, float]:
    """Views of each job in the last `days`, each hour's views decayed by its age (half-life in days)."""
    now = now or timezone.now()
    decay = math.log(2) / half_life_days
    sql = sql_tables(
        """
        SELECT job_id, SUM(views * EXP(-%(decay)s * EXTRACT(EPOCH FROM (%(now)s - hour)) / 86400.0))
        FROM $job_stats
        WHERE hour >= %(since)s AND views > 0
        GROUP BY job_id
        """,
        job_stats=JobHourlyStats,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"decay": decay, "now": now, "since": now - timedelta(days=days)})
        return {job_id: float(heat) for job_id, heat in cursor.fetchall()}


def search_term_heat(*, days: int, half_life_days: float, now: datetime | None = None) -> dict[str, float]:
    """Every search term of the last `days` (from the users' hourly rollups), each hour's count decayed by its age."""
    now = now or timezone.now()
    decay = math.log(2) / half_life_days
    sql = sql_tables(
        """
        SELECT item.key, SUM(item.value::int * EXP(-%(decay)s * EXTRACT(EPOCH FROM (%(now)s - s.hour)) / 86400.0))
        FROM $user_stats s, jsonb_each_text(s.search_terms) AS item
        WHERE s.hour >= %(since)s AND s.searches > 0
        GROUP BY item.key
        """,
        user_stats=UserHourlyStats,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"decay": decay, "now": now, "since": now - timedelta(days=days)})
        return {term: float(heat) for term, heat in cursor.fetchall()}


def seeker_behaviour(seeker_ids: Sequence[int], since: datetime) -> list[JobAct | SearchAct]:
    """The job views and job searches of these seekers since `since`, for matching's recent-activity factor
    (registered with matcher.behaviour). One query over the raw events: the rollups keep no per-user list of the
    jobs viewed, and the (user, created_at) index bounds it to these seekers' last days."""
    rows = (
        Event.objects.filter(
            user_id__in=seeker_ids,
            created_at__gte=since,
            event_type__in=[EventType.JOB_VIEW, EventType.JOB_SEARCH],
        )
        .values(
            "user_id",
            "event_type",
            "job_id",
            "job__category",
            "job__company_id",
            query=KT("metadata__query"),
            skills=KT("metadata__filters__skills"),
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    acts: list[JobAct | SearchAct] = []
    for row in rows:
        if row["event_type"] == EventType.JOB_VIEW:
            if row["job_id"] is not None:  # a deleted job's views name no job
                acts.append(
                    JobAct(
                        row["user_id"], Act.VIEW, row["job_id"], row["job__category"], row["job__company_id"], row["n"]
                    )
                )
            continue
        skills = tuple(dict.fromkeys((*search_skills(row["query"] or ""), *search_skills(row["skills"] or ""))))
        if skills:
            acts.append(SearchAct(row["user_id"], skills, row["n"]))
    return acts


def job_views_since(job_ids: list[int], *, since: datetime | None) -> dict[int, int]:
    """Views of each job recorded after `since` (the rollup watermark): the hour the rollup has not reached yet.
    Reads raw events, but only of the current hour or so, through the (job, created_at) index."""
    if not job_ids:
        return {}
    events = Event.objects.filter(event_type=EventType.JOB_VIEW, job_id__in=job_ids)
    if since is not None:
        events = events.filter(created_at__gte=since)
    return dict(events.order_by().values("job_id").annotate(n=Count("id")).values_list("job_id", "n"))
