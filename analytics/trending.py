"""Trending jobs: open jobs by recent interest, from the marketplace's applications and bookmarks, matching's
positive feedback and the job views of the hourly rollups, each decayed by age."""

import math

from django.db import connection

from analytics.selectors import job_view_heat
from core.sql import sql_tables
from marketplace.choices import JobStatus
from marketplace.models import Application, Bookmark, Job
from matcher.models import RecommendationFeedback

TRENDING_HALF_LIFE_DAYS = 3.0
TRENDING_VIEW_WEIGHT = 0.1  # ten views weigh as much as a bookmark; an application weighs 3


def trending_jobs(*, category: str = "", limit: int = 10, days: int = 14) -> list[tuple[Job, float]]:
    """Open jobs by recent interest (applications, bookmarks, positive feedback, views from the hourly analytics
    rollups), each decayed by age."""
    decay = math.log(2) / TRENDING_HALF_LIFE_DAYS
    sql = sql_tables(
        """
        SELECT job_id, SUM(weight * EXP(-%(decay)s * EXTRACT(EPOCH FROM (NOW() - at)) / 86400.0)) AS heat
        FROM (
            SELECT job_id, created_at AS at, 3.0 AS weight FROM $application
            UNION ALL SELECT job_id, created_at, 1.0 FROM $bookmark
            UNION ALL SELECT job_id, created_at, 1.0 FROM $feedback
                WHERE feedback IN ('relevant', 'applied')
        ) interest
        WHERE at >= NOW() - (%(days)s || ' days')::interval
        GROUP BY job_id
        """,
        application=Application,
        bookmark=Bookmark,
        feedback=RecommendationFeedback,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"decay": decay, "days": days})
        heat = dict(cursor.fetchall())
    for job_id, views in job_view_heat(days=days, half_life_days=TRENDING_HALF_LIFE_DAYS).items():
        heat[job_id] = heat.get(job_id, 0.0) + TRENDING_VIEW_WEIGHT * views
    jobs = Job.objects.filter(status=JobStatus.OPEN, pk__in=list(heat)).select_related("company")
    if category:
        jobs = jobs.filter(category__iexact=category)
    ranked = sorted(jobs, key=lambda job: (-heat[job.pk], -job.pk))[:limit]
    if len(ranked) < limit:  # a quiet week still shows something: the newest open jobs
        newest = Job.objects.filter(status=JobStatus.OPEN).exclude(pk__in=[j.pk for j in ranked])
        if category:
            newest = newest.filter(category__iexact=category)
        ranked += list(newest.select_related("company").order_by("-published_at", "-id")[: limit - len(ranked)])
    return [(job, round(float(heat.get(job.pk, 0.0)), 3)) for job in ranked]
