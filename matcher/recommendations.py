"""Stored recommendations: the top 50 jobs of every seeker, rebuilt in batches, and reads of them."""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from accounts.choices import UserType
from accounts.models import User
from core.sql import sql_tables
from marketplace.models import JobSeekerProfile
from matcher.engine import match_matrices, ranking_score, top_k, total_score
from matcher.features import MatchContext, load_context, open_jobs, recent_activity, seeker_batch
from matcher.models import Recommendation, RecommendationRebuild, RecommendationRebuildChunk
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
    removed: int = 0
    seconds: float = 0.0


def _seekers(seeker_ids: Iterable[int] | None = None):
    profiles = JobSeekerProfile.objects.filter(user__is_active=True, user__user_type=UserType.JOB_SEEKER)
    if seeker_ids is not None:
        profiles = profiles.filter(user_id__in=list(seeker_ids))
    return profiles.only(*_PROFILE_FIELDS).order_by("user_id")


def _in_range(rows, field: str, first: int | None, last: int | None):
    if first is not None:
        rows = rows.filter(**{f"{field}__gte": first})
    if last is not None:
        rows = rows.filter(**{f"{field}__lte": last})
    return rows


def _skill_keys(profiles) -> set[str]:
    return {key for keys in profiles.values_list("skill_names", flat=True).iterator(chunk_size=5000) for key in keys}


def _job_context(extra_skills: set[str]) -> MatchContext:
    return load_context(list(open_jobs().only(*_JOB_FIELDS).order_by("id")), extra_skills)


def recommendations_rebuild(
    *,
    seeker_ids: Iterable[int] | None = None,
    batch_size: int = BATCH_SIZE,
    top_n: int = TOP_N,
    progress: Callable[[int], None] | None = None,
) -> RebuildStats:
    """Score every (chosen) seeker against every open job and store each one's best `top_n`; safe to rerun.
    Rebuilding everyone also deletes the stored rows of seekers no longer active."""
    started = time.perf_counter()
    profiles = _seekers(seeker_ids)
    stats = _rebuild_profiles(
        profiles,
        _job_context(_skill_keys(profiles)),
        weights_in_use(),
        top_n=top_n,
        batch_size=batch_size,
        progress=progress,
    )
    if seeker_ids is None:
        stats.removed = _remove_inactive(None, None)
    stats.seconds = time.perf_counter() - started
    return stats


def _rebuild_profiles(profiles, context, weights, *, top_n: int, batch_size: int, progress=None) -> RebuildStats:
    stats = RebuildStats(jobs=len(context.jobs))
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
    return stats


def _remove_inactive(first: int | None, last: int | None) -> int:
    """Delete the stored rows of seekers in [first, last] who are no longer active job seekers."""
    stale = _in_range(Recommendation.objects.all(), "seeker_id", first, last).exclude(
        seeker_id__in=_in_range(_seekers(), "user_id", first, last).values("user_id")
    )
    return stale.delete()[0]


# --- the chunked rebuild: a run split into ranges of seeker ids that Celery workers take side by side --------
def recommendations_rebuild_start(
    *, chunk_seekers: int, top_n: int = TOP_N, task_id: str | None = None
) -> RecommendationRebuild:
    """A run and its chunks: the active seekers' ids cut into ranges of `chunk_seekers` seekers. The ranges
    touch (the first starts at 0, the last has no end), so a seeker who turns active or inactive meanwhile
    still falls in one chunk. Started again with the same `task_id` (a redelivered coordinator), the same run."""
    if chunk_seekers < 1:
        raise ValueError("chunk_seekers must be at least 1")
    if task_id is not None and (run := RecommendationRebuild.objects.filter(task_id=task_id).first()):
        return run
    ids = list(_seekers().values_list("user_id", flat=True))
    starts = [0, *ids[chunk_seekers::chunk_seekers]]
    with transaction.atomic():
        run = RecommendationRebuild.objects.create(
            task_id=task_id, weights=weights_in_use(), top_n=top_n, chunk_count=len(starts)
        )
        RecommendationRebuildChunk.objects.bulk_create(
            RecommendationRebuildChunk(
                rebuild=run,
                index=index,
                first_seeker_id=first,
                last_seeker_id=starts[index + 1] - 1 if index + 1 < len(starts) else None,
            )
            for index, first in enumerate(starts)
        )
    return run


def recommendations_rebuild_dispatched(*, rebuild: RecommendationRebuild) -> None:
    RecommendationRebuild.objects.filter(pk=rebuild.pk).update(dispatched_at=timezone.now())


def recommendations_rebuild_chunk(*, chunk_id: int, batch_size: int = BATCH_SIZE) -> RebuildStats | None:
    """Rebuild the seekers of one chunk and remove the rows of the inactive ones in its range; whoever
    finishes a run's last chunk closes the run. None when the chunk is done already (a redelivered task) or
    its run was deleted: running a chunk twice changes nothing."""
    chunk = RecommendationRebuildChunk.objects.select_related("rebuild").filter(pk=chunk_id).first()
    if chunk is None or chunk.finished_at is not None:
        return None
    RecommendationRebuildChunk.objects.filter(pk=chunk_id).update(attempts=F("attempts") + 1)
    started = time.perf_counter()
    run = chunk.rebuild
    first, last = chunk.first_seeker_id, chunk.last_seeker_id
    profiles = _in_range(_seekers(), "user_id", first, last)
    context, skills = _run_context(run), _skill_keys(profiles)
    if not skills <= context.vocabulary.keys():
        # A profile edited since the run's context was built names skills it lacks: without them in the
        # vocabulary their partial matches would count for nothing, so this chunk builds its own.
        context = _job_context(skills)
    stats = _rebuild_profiles(profiles, context, run.weights, top_n=run.top_n, batch_size=batch_size)
    stats.removed = _remove_inactive(first, last)
    stats.seconds = time.perf_counter() - started
    _chunk_finish(chunk_id=chunk_id, rebuild_id=run.pk, stats=stats)
    return stats


# The job side of a run (20,000 open jobs read, their IDF and skill vocabulary, the partial-match table) takes
# about a second to build, a third of the time a chunk of 1,000 seekers takes to score. A worker process builds
# it at its first chunk of a run and keeps it for the run's other chunks; only the latest run's is kept.
_run_contexts: dict[tuple[int, str], MatchContext] = {}


def _run_context(run: RecommendationRebuild) -> MatchContext:
    key = (run.pk, run.started_at.isoformat())
    if key not in _run_contexts:
        _run_contexts.clear()
        _run_contexts[key] = _job_context(_skill_keys(_seekers()))
    return _run_contexts[key]


@transaction.atomic
def _chunk_finish(*, chunk_id: int, rebuild_id: int, stats: RebuildStats) -> None:
    # The run's row is locked first, so of two chunks finishing at once exactly one sees none left to do.
    run = RecommendationRebuild.objects.select_for_update().get(pk=rebuild_id)
    RecommendationRebuildChunk.objects.filter(pk=chunk_id, finished_at__isnull=True).update(
        finished_at=timezone.now(),
        seekers=stats.seekers,
        jobs=stats.jobs,
        pairs_scored=stats.pairs_scored,
        stored=stats.stored,
        removed=stats.removed,
        seconds=stats.seconds,
    )
    if run.finished_at is not None or run.chunks.filter(finished_at__isnull=True).exists():
        return
    totals = run.chunks.aggregate(
        seekers=Sum("seekers"),
        jobs=Max("jobs"),
        pairs_scored=Sum("pairs_scored"),
        stored=Sum("stored"),
        removed=Sum("removed"),
    )
    RecommendationRebuild.objects.filter(pk=run.pk).update(finished_at=timezone.now(), **totals)


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
