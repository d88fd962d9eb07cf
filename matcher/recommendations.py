"""Stored recommendations: the top 50 jobs of every seeker, rebuilt in batches, and reads of them."""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from accounts.choices import UserType
from accounts.models import User
from core.sql import sql_tables
from marketplace.models import JobSeekerProfile
from matcher.engine import match_matrices, ranking_score, top_k, total_score
from matcher.features import load_context, open_jobs, recent_activity, seeker_batch
from matcher.models import Recommendation
from matcher.scoring import FACTORS
from matcher.weights import weights_in_use

TOP_N = 50
BATCH_SIZE = 500
SCORE_PAIRS = 2_000_000  # seekers × jobs scored at once (each factor matrix about 16 MB)
# A COPY text line: seeker, job, rank, score, the factors as json.dumps writes them (floats as repr), time.
_LINE = "%d\t%d\t%d\t%r\t{" + ", ".join(f'"{name}": %r' for name in FACTORS) + "}\t%s\n"
_JOB_FIELDS = (
    "id",
    "skill_names",
    "skills_preferred",
    "skills_extracted",
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
    now = timezone.now().isoformat()
    # Score a few seekers at a time: matrices of about SCORE_PAIRS cells stay in the CPU caches and memory stays
    # flat however many jobs are open. Each part's rows go to the COPY as soon as they are scored, so PostgreSQL
    # stores them (on another core) while the next part is scored; the batch is still one transaction.
    step = max(1, SCORE_PAIRS // max(len(context.jobs), 1))

    def parts():
        for start in range(0, len(profiles), step):
            seekers = seeker_batch(profiles[start : start + step], context, activity)
            lines = _best_rows(seekers, context, weights, top_n, now)
            stats.stored += len(lines)
            yield lines

    _store([profile.user_id for profile in profiles], parts())
    stats.seekers += len(profiles)
    stats.pairs_scored += len(profiles) * len(context.jobs)


def _best_rows(seekers, context, weights, top_n, now: str) -> list[str]:
    """COPY text lines (seeker, job, rank, score, factors as JSON, now) of every seeker's `top_n` best jobs."""
    if not len(context.jobs):
        return []
    factors, share = match_matrices(seekers, context.jobs)
    scores = total_score(factors, weights)
    # The order is the seeker-facing ranking (the skills factor times the seeker's share squared, docs/matching.md);
    # the stored score stays the weighted sum of the stored factors, which is what the page shows.
    best = top_k(ranking_score(factors, share, weights, total=scores), top_n)
    picked = np.arange(len(best))[:, None]
    values = np.stack([factors[name][picked, best] for name in FACTORS], axis=-1).tolist()  # as floats
    best_scores = scores[picked, best].tolist()
    job_ids = context.jobs.ids[best].tolist()
    lines: list[str] = []
    for row, seeker_id in enumerate(seekers.ids.tolist()):
        # Python's round, as scoring.score_match rounds (NumPy's differs on some halves).
        lines += [
            _LINE % (seeker_id, job_id, rank, round(score, 2), *[round(value, 2) for value in row_factors], now)
            for rank, (job_id, score, row_factors) in enumerate(
                zip(job_ids[row], best_scores[row], values[row], strict=True), start=1
            )
        ]
    return lines


@transaction.atomic
def _store(seeker_ids: list[int], parts: Iterable[list[str]]) -> None:
    # Replace a batch's rows in one transaction: readers see the old list or the new, never half.
    # Two rebuilds of one seeker at once (a refresh during the nightly run, two tabs) take turns on the
    # seeker's row, in id order, instead of both inserting beside the other's uncommitted rows.
    list(User.objects.select_for_update(no_key=True).filter(pk__in=seeker_ids).order_by("pk").values_list("pk"))
    Recommendation.objects.filter(seeker_id__in=seeker_ids).delete()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            sql_tables(
                "COPY $recommendation (seeker_id, job_id, rank, score, factors, computed_at) FROM STDIN",
                recommendation=Recommendation,
            )
        ) as copy,
    ):
        for lines in parts:
            copy.write("".join(lines))  # COPY text lines; numbers and the factors' JSON need no escaping


def recommendations_for(user, *, limit: int = 10):
    return (
        Recommendation.objects.filter(seeker=user, job__status="open")
        .select_related("job__company")
        .order_by("rank")[:limit]
    )
