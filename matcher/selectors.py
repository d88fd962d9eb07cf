"""Matching's reads: one pair scored and explained, the best candidates for a job, similar jobs."""

import math

import numpy as np

from accounts.choices import UserType
from marketplace.choices import JobStatus
from marketplace.models import Job, JobSeekerProfile
from marketplace.selectors import visible_to_company
from matcher import scoring
from matcher.engine import factor_matrices, total_score
from matcher.features import (
    counted_skill_keys,
    current_idf,
    job_skill_keys,
    job_spec,
    load_context,
    recent_activity,
    seeker_batch,
    seeker_spec,
    spelled_skills,
)
from matcher.scoring import FACTORS
from matcher.skill_space import (
    blend_similarity,
    learned_relatives,
    pair_closeness,
    related_of,
    unit_rows,
    weights_centroid,
)
from matcher.taxonomy import partial_of
from matcher.weights import weights_in_use

CANDIDATE_POOL = 5000


def score_pair(profile: JobSeekerProfile, job: Job, *, weights=None) -> scoring.Match:
    activity = recent_activity([profile.user_id])
    return scoring.score_match(
        seeker_spec(profile, activity),
        job_spec(job),
        idf=current_idf(),
        weights=weights,
        partial_of=partial_of,
        related_of=related_of,
        closeness_of=pair_closeness,
        spelled=spelled_skills(job),
    )


def explanation(profile: JobSeekerProfile, job: Job) -> dict:
    weights = weights_in_use()
    match = score_pair(profile, job, weights=weights)
    spelled = spelled_skills(job)
    return {
        "job_id": str(job.pk),
        "score": match.score,
        "rank_score": match.rank_score,
        "skills_coverage": {
            "matched": len(match.skills.matched),
            "partial": len(match.skills.partial),
            "asked": len(match.skills.matched) + len(match.skills.partial) + len(match.skills.missing),
            "your_skills": len(profile.skill_names),
            "share_of_your_skills": round(match.skills.share, 4),
        },
        "factors": {name: {"score": match.factors[name], "weight": weights[name]} for name in FACTORS},
        "matched_skills": [spelled.get(key, key) for key in match.skills.matched],
        "partial_skills": [spelled.get(key, key) for key in match.skills.partial],
        "missing_skills": [spelled.get(key, key) for key in match.skills.missing],
        "reasons": list(match.reasons),
    }


def best_candidates(
    job: Job, *, limit: int = 10, pool: int = CANDIDATE_POOL, visible_only: bool = True, sharing_a_skill: bool = True
) -> list[tuple[JobSeekerProfile, float, dict]]:
    """The seekers who match the job best: (profile, score, factors), best first.

    Seekers who share a skill with the job come first into the pool (a GIN lookup); the
    rest only fill it, since without a shared skill the skills factor is near zero.
    `visible_only` keeps to the seekers the job's company may find (their `visibility`): anything a
    recruiter reads must; only telling the seekers themselves of the job may look at every seeker.
    `sharing_a_skill` leaves out, when the job names skills, the seekers with none of them (skills factor 0):
    a recruiter's list must not offer them; the match announcement keeps its own threshold on the score.
    """
    required, preferred, extracted = counted_skill_keys(job)
    keys = [*required, *preferred, *extracted]
    profiles = JobSeekerProfile.objects.filter(user__is_active=True, user__user_type=UserType.JOB_SEEKER)
    if visible_only:
        profiles = profiles.filter(visible_to_company(job.company_id))
    profiles = profiles.select_related("user")
    sharing = list(profiles.filter(skill_names__overlap=keys)[:pool]) if keys else []
    if len(sharing) < pool:
        sharing += list(profiles.exclude(pk__in=[p.pk for p in sharing])[: pool - len(sharing)])
    if not sharing:
        return []
    scores, factors = _scored(job, sharing)
    order = np.argsort(-scores, kind="stable")
    if keys and sharing_a_skill:
        # A job that names skills is not a match for someone with none of them, whatever the other factors say
        # (a support job listed engineers at 0% skills): they are left out, not ranked last.
        order = [i for i in order if factors["skills"][i, 0] > 0]
    return [
        (sharing[i], round(float(scores[i]), 2), {name: round(float(factors[name][i, 0]), 2) for name in FACTORS})
        for i in order[:limit]
    ]


def _scored(job: Job, profiles: list[JobSeekerProfile]):
    """(total scores, factor matrices) of the profiles for one job, through the batch engine."""
    context = load_context([job], {key for profile in profiles for key in profile.skill_names})
    batch = seeker_batch(profiles, context, recent_activity([p.user_id for p in profiles]))
    factors = factor_matrices(batch, context.jobs)
    return total_score(factors, weights_in_use())[:, 0], factors


def applicant_matches(job: Job, profiles: list[JobSeekerProfile]) -> dict[int, dict]:
    """Each applicant's score for the job and their skills against it, by user id (the pipeline's cards)."""
    if not profiles:
        return {}
    scores, _ = _scored(job, profiles)
    return {
        profile.user_id: {"score": round(float(scores[i]), 2), "skills": candidate_skills(profile, job)}
        for i, profile in enumerate(profiles)
    }


def candidate_skills(profile: JobSeekerProfile, job: Job) -> dict:
    """The recruiter's side of the skills factor: how many of the job's skills the candidate has, in words."""
    spelled = spelled_skills(job)
    skills = scoring.skills_factor(frozenset(profile.skill_names), job_spec(job), {}, partial_of, related_of)
    asked = len(skills.matched) + len(skills.partial) + len(skills.missing)
    summary = f"Has {len(skills.matched)} of the {asked} skills the job lists." if asked else ""
    if skills.partial:
        summary += f" Related experience for {len(skills.partial)} more."
    return {
        "matched": [spelled.get(key, key) for key in skills.matched],
        "partial": [spelled.get(key, key) for key in skills.partial],
        "missing": [spelled.get(key, key) for key in skills.missing],
        "summary": summary,
    }


def similar_jobs(job: Job, *, limit: int = 10) -> list[tuple[Job, float]]:
    """Open jobs most like this one: the cosine of their IDF-weighted skills blended with the closeness of the two
    skill lists in the learned space (skill_space.blend_similarity), the same category breaking near-ties. Jobs
    that share no skill but list learned relatives of its skills are candidates too."""
    required, preferred = job_skill_keys(job)
    keys = set(required) | set(preferred)
    if not keys:
        others = Job.objects.filter(status=JobStatus.OPEN, category=job.category).exclude(pk=job.pk)
        return [(other, 0.0) for other in others.select_related("company")[:limit]]
    idf = current_idf()
    reach = keys | {other for key in keys for other in learned_relatives(key)}
    candidates = list(
        Job.objects.filter(status=JobStatus.OPEN, skill_names__overlap=sorted(reach))
        .exclude(pk=job.pk)
        .select_related("company")[:2000]
    )

    def vector(skills):
        return {key: idf.get(key, 1.0) for key in skills}

    target = vector(keys)
    target_centroid = unit_rows(weights_centroid(scoring.job_skill_weights(job_spec(job), idf))[None, :])[0]
    norm = math.sqrt(sum(v * v for v in target.values()))
    scored = []
    for other in candidates:
        r, p = job_skill_keys(other)
        theirs = vector(set(r) | set(p))
        dot = sum(weight * theirs[key] for key, weight in target.items() if key in theirs)
        cosine = dot / (norm * math.sqrt(sum(v * v for v in theirs.values())) or 1.0)
        centroid = unit_rows(weights_centroid(scoring.job_skill_weights(job_spec(other), idf))[None, :])[0]
        similarity = blend_similarity(cosine, max(0.0, float(target_centroid @ centroid)))
        scored.append((similarity + (0.05 if other.category == job.category else 0.0), other))
    scored.sort(key=lambda item: (-item[0], item[1].pk))
    return [(other, round(100 * min(score, 1.0), 2)) for score, other in scored[:limit]]
