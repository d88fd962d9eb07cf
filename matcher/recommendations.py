"""Stored recommendations: the top 50 jobs of every seeker, rebuilt in batches, and reads of them."""

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from matcher.choices import UserType
from matcher.match_engine import factor_matrices, top_k, total_score
from matcher.match_features import load_context, open_jobs, recent_activity, seeker_batch
from matcher.models import JobSeekerProfile, MatchWeights, Recommendation
from matcher.scoring import DEFAULT_WEIGHTS, FACTORS

TOP_N = 50
BATCH_SIZE = 500
_JOB_FIELDS = (
    "id",
    "skill_names",
    "skills_preferred",
    "location",
    "remote",
    "experience_level",
    "salary_min",
    "salary_max",
    "currency",
    "employment_type",
    "category",
    "company_id",
)
_PROFILE_FIELDS = (
    "id",
    "user_id",
    "skill_names",
    "location",
    "preferred_locations",
    "remote",
    "experience_years",
    "experience_level",
    "desired_salary_min",
    "desired_salary_max",
    "currency",
    "preferred_employment_types",
)


def weights_in_use() -> dict[str, float]:
    active = MatchWeights.objects.filter(active=True).order_by("-created_at").values_list("weights", flat=True).first()
    return active or dict(DEFAULT_WEIGHTS)


@dataclass
class RebuildStats:
    seekers: int = 0
    jobs: int = 0
    pairs_scored: int = 0
    stored: int = 0
    seconds: float = 0.0


def _seekers(seeker_ids: Iterable[int] | None):
    profiles = JobSeekerProfile.objects.filter(user__is_active=True, user__user_type=UserType.JOB_SEEKER)
    if seeker_ids is not None:
        profiles = profiles.filter(user_id__in=list(seeker_ids))
    return profiles.only(*_PROFILE_FIELDS).order_by("user_id")


def recommendations_rebuild(
    *,
    seeker_ids: Iterable[int] | None = None,
    batch_size: int = BATCH_SIZE,
    top_n: int = TOP_N,
    progress: Callable[[int], None] | None = None,
) -> RebuildStats:
    """Score every (chosen) seeker against every open job and store each one's best `top_n`; safe to rerun."""
    started = time.perf_counter()
    stats = RebuildStats()
    jobs = list(open_jobs().only(*_JOB_FIELDS).order_by("id"))
    profiles = _seekers(seeker_ids)
    extra = set(
        key for keys in profiles.values_list("skill_names", flat=True).iterator(chunk_size=5000) for key in keys
    )
    context = load_context(jobs, extra)
    weights = weights_in_use()
    stats.jobs = len(jobs)
    batch: list[JobSeekerProfile] = []
    for profile in profiles.iterator(chunk_size=batch_size):
        batch.append(profile)
        if len(batch) == batch_size:
            _rebuild_batch(batch, context, weights, top_n, stats)
            if progress:
                progress(len(batch))
            batch = []
    if batch:
        _rebuild_batch(batch, context, weights, top_n, stats)
        if progress:
            progress(len(batch))
    stats.seconds = time.perf_counter() - started
    return stats


def _rebuild_batch(profiles, context, weights, top_n, stats: RebuildStats) -> None:
    activity = recent_activity([profile.user_id for profile in profiles])
    seekers = seeker_batch(profiles, context, activity)
    if len(context.jobs):
        factors = factor_matrices(seekers, context.jobs)
        scores = total_score(factors, weights)
        best = top_k(scores, top_n)
    else:
        factors, scores, best = {}, np.zeros((len(profiles), 0)), np.empty((len(profiles), 0), dtype=np.int64)
    now = timezone.now()
    rows = []
    for row, seeker_id in enumerate(seekers.ids):
        for rank, column in enumerate(best[row], start=1):
            row_factors = {name: round(float(factors[name][row, column]), 2) for name in FACTORS}
            rows.append(
                (
                    int(seeker_id),
                    int(context.jobs.ids[column]),
                    rank,
                    round(float(scores[row, column]), 2),
                    json.dumps(row_factors),
                    now,
                )
            )
    _store(list(map(int, seekers.ids)), rows)
    stats.seekers += len(profiles)
    stats.pairs_scored += len(profiles) * len(context.jobs)
    stats.stored += len(rows)


@transaction.atomic
def _store(seeker_ids: list[int], rows: list[tuple]) -> None:
    # Replace a batch's rows in one transaction: readers see the old list or the new, never half.
    Recommendation.objects.filter(seeker_id__in=seeker_ids).delete()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY matcher_recommendation (seeker_id, job_id, rank, score, factors, computed_at) FROM STDIN"
        ) as copy,
    ):
        for values in rows:
            copy.write_row(values)


def recommendations_for(user, *, limit: int = 10):
    return (
        Recommendation.objects.filter(seeker=user, job__status="open")
        .select_related("job__company")
        .order_by("rank")[:limit]
    )
