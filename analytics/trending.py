"""Trending jobs: open jobs by the interest of the last 30 days, each act weighed as matcher/behaviour.py says and
decayed by its age: applications, bookmarks and positive feedback on the job, its views (from the hourly rollups),
and the searches that name a skill it asks for (from the rollups' search terms)."""

import math
from collections import Counter

from django.db import connection

from analytics.selectors import job_view_heat, search_term_heat
from core.sql import sql_tables
from marketplace.choices import JobStatus
from marketplace.models import Application, Bookmark, Job
from marketplace.skills import search_skills
from matcher.behaviour import ACT_WEIGHTS, ACTIVITY_DAYS, POSITIVE_FEEDBACK, Act
from matcher.models import RecommendationFeedback

TRENDING_HALF_LIFE_DAYS = 3.0
# The most searched skills only: a long tail of one-off searches would read every open job for a trace of heat.
SEARCHED_SKILLS = 50


def trending_jobs(*, category: str = "", limit: int = 10, days: int = ACTIVITY_DAYS) -> list[tuple[Job, float]]:
    """Open jobs by recent interest, hottest first; the newest open jobs fill a quiet list."""
    decay = math.log(2) / TRENDING_HALF_LIFE_DAYS
    sql = sql_tables(
        """
        SELECT job_id, SUM(weight * EXP(-%(decay)s * EXTRACT(EPOCH FROM (NOW() - at)) / 86400.0)) AS heat
        FROM (
            SELECT job_id, created_at AS at, %(application)s AS weight FROM $application
            UNION ALL SELECT job_id, created_at, %(bookmark)s FROM $bookmark
            UNION ALL SELECT job_id, created_at, %(feedback)s FROM $feedback WHERE feedback = ANY(%(positive)s)
        ) interest
        WHERE at >= NOW() - (%(days)s || ' days')::interval
        GROUP BY job_id
        """,
        application=Application,
        bookmark=Bookmark,
        feedback=RecommendationFeedback,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "decay": decay,
                "days": days,
                "application": ACT_WEIGHTS[Act.APPLICATION],
                "bookmark": ACT_WEIGHTS[Act.BOOKMARK],
                "feedback": ACT_WEIGHTS[Act.FEEDBACK],
                "positive": list(POSITIVE_FEEDBACK),
            },
        )
        heat = Counter({job_id: float(value) for job_id, value in cursor.fetchall()})
    for job_id, views in job_view_heat(days=days, half_life_days=TRENDING_HALF_LIFE_DAYS).items():
        heat[job_id] += ACT_WEIGHTS[Act.VIEW] * views
    heat.update(_search_heat(days=days))
    jobs = Job.objects.filter(status=JobStatus.OPEN, pk__in=list(heat)).select_related("company")
    if category:
        jobs = jobs.filter(category__iexact=category)
    ranked = sorted(jobs, key=lambda job: (-heat[job.pk], -job.pk))[:limit]
    if len(ranked) < limit:  # a quiet month still shows something: the newest open jobs
        newest = Job.objects.filter(status=JobStatus.OPEN).exclude(pk__in=[j.pk for j in ranked])
        if category:
            newest = newest.filter(category__iexact=category)
        ranked += list(newest.select_related("company").order_by("-published_at", "-id")[: limit - len(ranked)])
    return [(job, round(float(heat.get(job.pk, 0.0)), 3)) for job in ranked]


def _search_heat(*, days: int) -> Counter:
    """Each search weighs ACT_WEIGHTS[SEARCH], shared by the open jobs that require a skill it names: a search
    says what people look for, not which job, and a skill many jobs ask for lifts each of them less."""
    skills: Counter = Counter()
    for term, searches in search_term_heat(days=days, half_life_days=TRENDING_HALF_LIFE_DAYS).items():
        for skill in search_skills(term):
            skills[skill] += searches
    wanted = dict(skills.most_common(SEARCHED_SKILLS))
    if not wanted:
        return Counter()
    asking = list(
        Job.objects.filter(status=JobStatus.OPEN, skill_names__overlap=list(wanted)).values_list("id", "skill_names")
    )
    answers = Counter(skill for _, names in asking for skill in set(names) if skill in wanted)
    heat: Counter = Counter()
    for job_id, names in asking:
        for skill in set(names) & wanted.keys():
            heat[job_id] += ACT_WEIGHTS[Act.SEARCH] * wanted[skill] / answers[skill]
    return heat
