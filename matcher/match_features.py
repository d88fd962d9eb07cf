"""The reads behind the match inputs: open jobs, their skill IDF, the seekers' recent activity.

The rules that turn jobs and seekers into the inputs of scoring.py (one pair)
and match_engine.py (many pairs) are in match_inputs.py (pure); they are
re-exported here, so callers import everything from one place.
"""

from collections import Counter
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from core.sql import sql_tables
from marketplace.choices import JobStatus
from marketplace.models import Application, Bookmark, Job, JobSeekerProfile
from matcher import scoring
from matcher.match_inputs import (
    TYPE_CODES,
    ActivityRows,
    Codes,
    MatchContext,
    idf_from_counts,
    job_skill_keys,
    job_spec,
    load_context,
    partial_of,
    seeker_batch,
    seeker_spec,
)
from matcher.models import RecommendationFeedback

__all__ = [
    "ACTIVITY_DAYS",
    "IDF_CACHE_KEY",
    "TYPE_CODES",
    "ActivityRows",
    "Codes",
    "MatchContext",
    "current_idf",
    "idf_from_counts",
    "job_skill_keys",
    "job_spec",
    "load_context",
    "open_jobs",
    "partial_of",
    "recent_activity",
    "score_pair",
    "scoring",
    "seeker_batch",
    "seeker_spec",
]

ACTIVITY_DAYS = 30
IDF_CACHE_KEY = "matcher:idf:v1"


def open_jobs():
    return Job.objects.filter(status=JobStatus.OPEN)


def current_idf() -> dict[str, float]:
    """IDF of skills over the open jobs, cached for a few minutes (it moves slowly)."""
    idf = cache.get(IDF_CACHE_KEY)
    if idf is None:
        with connection.cursor() as cursor:
            cursor.execute(
                sql_tables(
                    "SELECT s, count(DISTINCT id) FROM (SELECT id, unnest(skill_names || "
                    "ARRAY(SELECT lower(x) FROM unnest(skills_preferred) x)) AS s FROM $job WHERE status = %s) t "
                    "GROUP BY s",
                    job=Job,
                ),
                [JobStatus.OPEN],
            )
            counts = Counter(dict(cursor.fetchall()))
        idf = idf_from_counts(counts, open_jobs().count())
        cache.set(IDF_CACHE_KEY, idf, 600)
    return idf


def recent_activity(seeker_ids) -> ActivityRows:
    """Applications, bookmarks and positive feedback of the last 30 days, per seeker."""
    since = timezone.now() - timedelta(days=ACTIVITY_DAYS)
    rows = ActivityRows()
    sources = (
        Application.objects.filter(candidate_id__in=seeker_ids, created_at__gte=since).values_list(
            "candidate_id", "job_id", "job__category", "job__company_id"
        ),
        Bookmark.objects.filter(user_id__in=seeker_ids, created_at__gte=since).values_list(
            "user_id", "job_id", "job__category", "job__company_id"
        ),
        RecommendationFeedback.objects.filter(
            seeker_id__in=seeker_ids, created_at__gte=since, feedback__in=["relevant", "applied"]
        ).values_list("seeker_id", "job_id", "job__category", "job__company_id"),
    )
    for source in sources:
        for seeker_id, job_id, category, company_id in source:
            rows.jobs[seeker_id].add(job_id)
            if category:
                rows.categories[seeker_id][category] += 1
            rows.companies[seeker_id][company_id] += 1
    return rows


def spelled_skills(job: Job) -> dict[str, str]:
    """Skill key → the name as the job spells it (scoring compares keys; people read names)."""
    return {name.lower(): name for name in [*job.skills_preferred, *job.skills_required]}


def score_pair(profile: JobSeekerProfile, job: Job, *, weights=None) -> scoring.Match:
    activity = recent_activity([profile.user_id])
    return scoring.score_match(
        seeker_spec(profile, activity),
        job_spec(job),
        idf=current_idf(),
        weights=weights,
        partial_of=partial_of,
        spelled=spelled_skills(job),
    )
