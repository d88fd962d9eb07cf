"""Matching reads and writes that the AI endpoints and tasks share: candidates for a job, similar and
trending jobs, explanations, feedback, and the match events of a newly opened job."""

import math
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from accounts.choices import UserType
from accounts.models import User
from analytics.selectors import job_view_heat
from core.sql import sql_tables
from marketplace.choices import JobStatus
from marketplace.models import Application, Bookmark, Job, JobSeekerProfile
from marketplace.selectors import recruiter_ids_of
from matcher import signals, weight_learning
from matcher.match_engine import factor_matrices, total_score
from matcher.match_features import (
    current_idf,
    job_skill_keys,
    load_context,
    recent_activity,
    score_pair,
    seeker_batch,
    spelled_skills,
)
from matcher.models import MatchWeights, RecommendationFeedback
from matcher.recommendations import weights_in_use
from matcher.scoring import FACTORS

CANDIDATE_POOL = 5000
TRENDING_HALF_LIFE_DAYS = 3.0
TRENDING_VIEW_WEIGHT = 0.1  # ten views weigh as much as a bookmark; an application weighs 3


def best_candidates(
    job: Job, *, limit: int = 10, pool: int = CANDIDATE_POOL
) -> list[tuple[JobSeekerProfile, float, dict]]:
    """The seekers who match the job best: (profile, score, factors), best first.

    Seekers who share a skill with the job come first into the pool (a GIN lookup); the
    rest only fill it, since without a shared skill the skills factor is near zero.
    """
    required, preferred = job_skill_keys(job)
    keys = list(required) + list(preferred)
    profiles = JobSeekerProfile.objects.filter(
        user__is_active=True, user__user_type=UserType.JOB_SEEKER
    ).select_related("user")
    sharing = list(profiles.filter(skill_names__overlap=keys)[:pool]) if keys else []
    if len(sharing) < pool:
        sharing += list(profiles.exclude(pk__in=[p.pk for p in sharing])[: pool - len(sharing)])
    if not sharing:
        return []
    context = load_context([job], {key for profile in sharing for key in profile.skill_names})
    batch = seeker_batch(sharing, context, recent_activity([p.user_id for p in sharing]))
    factors = factor_matrices(batch, context.jobs)
    scores = total_score(factors, weights_in_use())[:, 0]
    order = np.argsort(-scores, kind="stable")[:limit]
    return [
        (sharing[i], round(float(scores[i]), 2), {name: round(float(factors[name][i, 0]), 2) for name in FACTORS})
        for i in order
    ]


def similar_jobs(job: Job, *, limit: int = 10) -> list[tuple[Job, float]]:
    """Open jobs whose IDF-weighted skills are closest (cosine), same category breaking ties."""
    required, preferred = job_skill_keys(job)
    keys = set(required) | set(preferred)
    if not keys:
        others = Job.objects.filter(status=JobStatus.OPEN, category=job.category).exclude(pk=job.pk)
        return [(other, 0.0) for other in others.select_related("company")[:limit]]
    idf = current_idf()
    candidates = list(
        Job.objects.filter(status=JobStatus.OPEN, skill_names__overlap=list(keys))
        .exclude(pk=job.pk)
        .select_related("company")[:2000]
    )

    def vector(skills):
        return {key: idf.get(key, 1.0) for key in skills}

    target = vector(keys)
    norm = math.sqrt(sum(v * v for v in target.values()))
    scored = []
    for other in candidates:
        r, p = job_skill_keys(other)
        theirs = vector(set(r) | set(p))
        dot = sum(weight * theirs[key] for key, weight in target.items() if key in theirs)
        cosine = dot / (norm * math.sqrt(sum(v * v for v in theirs.values())) or 1.0)
        scored.append((cosine + (0.05 if other.category == job.category else 0.0), other))
    scored.sort(key=lambda item: (-item[0], item[1].pk))
    return [(other, round(100 * min(score, 1.0), 2)) for score, other in scored[:limit]]


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


def explanation(profile: JobSeekerProfile, job: Job) -> dict:
    weights = weights_in_use()
    match = score_pair(profile, job, weights=weights)
    spelled = spelled_skills(job)
    return {
        "job_id": str(job.pk),
        "score": match.score,
        "factors": {name: {"score": match.factors[name], "weight": weights[name]} for name in FACTORS},
        "matched_skills": [spelled.get(key, key) for key in match.skills.matched],
        "partial_skills": [spelled.get(key, key) for key in match.skills.partial],
        "missing_skills": [spelled.get(key, key) for key in match.skills.missing],
        "reasons": list(match.reasons),
    }


@transaction.atomic
def feedback_record(*, seeker: User, job: Job, feedback: str) -> RecommendationFeedback:
    match = score_pair(seeker.profile, job, weights=weights_in_use())
    given = RecommendationFeedback.objects.create(seeker=seeker, job=job, feedback=feedback, factors=match.factors)
    signals.recommendation_feedback_given.send(sender=RecommendationFeedback, feedback=given)
    return given


def announce_matches(job_id: int) -> int:
    """Score a newly opened job against every seeker and tell the good matches and the recruiters."""
    from notifications.broadcaster import broadcaster
    from notifications.selectors import event_exists_for

    job = Job.objects.select_related("company").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.OPEN:
        return 0  # closed again (or deleted) before the task ran: nothing to announce
    threshold = settings.KAZI_MATCH_THRESHOLD
    matches = [m for m in best_candidates(job, limit=10_000) if m[1] >= threshold]
    if not matches:
        return 0
    with transaction.atomic():
        # A retried or duplicated task announces once: the job's row lock orders two runs, and the
        # recruiters' summary, stored with the events, marks the job as announced.
        Job.objects.select_for_update().filter(pk=job.pk).first()
        if event_exists_for(job, event_type="notification", notification_type="match_found"):
            return 0
        for profile, score, _ in matches:
            label = "Excellent" if score >= 90 else "Great"
            broadcaster.publish(
                user_ids=[profile.user_id],
                event_type="match_score_calculated",
                message=f"{label} match! {score:.1f}% compatibility with {job.title}",
                payload={"job_id": str(job.pk), "job_title": job.title, "match_score": score},
                related=job,
            )
        recruiters = recruiter_ids_of(job.company_id)
        best = ", ".join(f"{p.user.full_name} ({s:.0f}%)" for p, s, _ in matches[:3])
        broadcaster.publish(
            user_ids=recruiters,
            event_type="notification",
            notification_type="match_found",
            title=f"{len(matches)} strong candidate(s) for {job.title}",
            message=f"Best matches: {best}",
            payload={
                "job_id": str(job.pk),
                "matches": len(matches),
                "candidates": [{"candidate_id": str(p.user_id), "score": s} for p, s, _ in matches[:10]],
            },
            related=job,
        )
    return len(matches)


def weights_learn(*, days: int = 90) -> tuple[MatchWeights | None, str]:
    """Fit the factor weights on recent feedback; keep them only if they beat the weights in use."""
    since = timezone.now() - timedelta(days=days)
    rows = list(RecommendationFeedback.objects.filter(created_at__gte=since).values_list("factors", "feedback"))
    x, y = weight_learning.examples(rows)
    current = weights_in_use()
    fit = weight_learning.fit_weights(x, y, current=current)
    if fit is None:
        return (
            None,
            f"Not enough feedback to learn from ({len(y)} yes/no answers; {weight_learning.MIN_EXAMPLES} needed).",
        )
    metrics = {
        "examples": fit.examples,
        "held_out_loss": round(fit.held_out_loss, 5),
        "baseline_loss": round(fit.baseline_loss, 5),
    }
    if not fit.better:
        return None, f"Kept the weights in use: the fitted ones did not predict held-out feedback better {metrics}."
    with transaction.atomic():
        MatchWeights.objects.filter(active=True).update(active=False)
        weights = MatchWeights.objects.create(weights=fit.weights, source="fitted", metrics=metrics, active=True)
    return weights, f"New weights in use: {fit.weights} {metrics}."
