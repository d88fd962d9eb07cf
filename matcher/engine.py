"""The scores of many seekers against many jobs at once (NumPy/SciPy; pure, no ORM).

It computes exactly what matcher/scoring.py computes for one pair, as matrices
of the arrays matcher/features.py builds (a JobTable, a SeekerBatch):
skills through sparse products of the seekers' credit vectors (1 for a skill
they have, 0.7 for a partial one) with the jobs' IDF weights (required, then
nice-to-have for the jobs that list some); experience, job type and the
location cases through small tables that scoring.py's own factor functions
fill in; salary and recent activity only for the seekers who stated a salary
or did something lately (the others get the scorer's constant). A batch of
seekers times every open job fits in memory; callers go batch by batch.
"""

from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy import sparse

from matcher import scoring
from matcher.features import JobTable, SeekerBatch
from matcher.scoring import DEFAULT_WEIGHTS, FACTORS, LEVELS, NEUTRAL, RELATEDNESS_POINTS, SHARE_EXPONENT


@dataclass
class RankingInputs:
    """What the seeker-facing ranking needs beyond the shown factors (scoring.Match.rank_score)."""

    skills: np.ndarray  # (B, J) the skills factor without the credit of learned relatives
    share: np.ndarray  # (B, J) the seeker's share of each job (scoring.seeker_share)
    closeness: np.ndarray  # (B, J) float32, the two skill lists' closeness in the learned space, 0..1


def factor_matrices(seekers: SeekerBatch, jobs: JobTable) -> dict[str, np.ndarray]:
    """The six factors of every (seeker, job), 0–100 (see match_matrices)."""
    return match_matrices(seekers, jobs)[0]


def match_matrices(seekers: SeekerBatch, jobs: JobTable) -> tuple[dict[str, np.ndarray], RankingInputs]:
    """The six factors of every (seeker, job), 0–100, and what ranking_score needs besides.
    Location, experience and job type come out of tables of whole numbers as uint8 (a byte a cell, nothing to
    round); skills, salary and recent activity as float64."""
    shown, ranked, share = skills_matrices(seekers, jobs)
    ranking = RankingInputs(ranked, share, closeness_matrix(seekers, jobs))
    factors = {
        "skills": shown,
        "location": location_matrix(seekers, jobs),
        "experience": np.take(_experience_table()[seekers.level], jobs.level, axis=1),
        "salary": salary_matrix(seekers, jobs),
        "job_type": job_type_matrix(seekers, jobs),
        "recent_activity": activity_matrix(seekers, jobs),
    }
    return factors, ranking


def total_score(factors: dict[str, np.ndarray], weights: dict[str, float] | None = None) -> np.ndarray:
    """The weighted sum of the factors rounded to 2 decimals, as scoring.score_match adds them (same order)."""
    weights = weights or DEFAULT_WEIGHTS
    total = np.zeros_like(factors[FACTORS[0]], dtype=np.float64)
    term = np.empty_like(total)
    for name in FACTORS:
        if factors[name].dtype.kind in "iu":  # whole numbers: rounding changes nothing
            np.multiply(factors[name], weights[name], out=term)
        else:
            np.round(factors[name], 2, out=term)
            term *= weights[name]
        total += term
    return total


# --- the factors ---------------------------------------------------------------------------------
def skills_matrices(seekers: SeekerBatch, jobs: JobTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The skills factor shown (100 × the covered share of the job's weight; 50 for skill-less jobs), the same
    without the credit of learned relatives (what the ranking uses), and the seeker's share (scoring.seeker_share:
    the covered weight over the seeker's own, at most 1; 1 for skill-less jobs)."""
    covered = (seekers.credit @ jobs.required_t).toarray()
    learned = None
    if seekers.learned_credit.nnz:
        learned = (seekers.learned_credit @ jobs.required_t).toarray()
    columns = jobs.with_preferred
    if len(columns):
        preferred = (seekers.credit @ jobs.preferred_t).toarray()
        # As scoring.skills_factor: nice-to-have skills count once every required one is held exactly (credit 1;
        # a partial one falls short by at least 0.3 × its IDF, far beyond rounding).
        held_all = covered[:, columns] >= jobs.required_total[columns] - 1e-9
        covered[:, columns] += np.where(held_all, preferred, 0.0)
        if learned is not None:
            learned[:, columns] += np.where(held_all, (seekers.learned_credit @ jobs.preferred_t).toarray(), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ranked = covered * (100.0 / jobs.total)
        share = covered / seekers.skill_mass[:, None]
        shown = ranked if learned is None else (covered + learned) * (100.0 / jobs.total)
    np.minimum(share, 1.0, out=share)
    share[seekers.skill_mass <= 0] = 0.0
    skill_less = jobs.total <= 0
    shown[:, skill_less] = NEUTRAL
    ranked[:, skill_less] = NEUTRAL
    share[:, skill_less] = 1.0
    return shown, ranked, share


def closeness_matrix(seekers: SeekerBatch, jobs: JobTable) -> np.ndarray:
    """(B, J) float32: the cosine (at least 0) of each seeker's and each job's skill centroids (skill_space)."""
    closeness = seekers.centroid @ jobs.centroid.T
    np.maximum(closeness, 0.0, out=closeness)
    return closeness


def ranking_score(
    factors: dict[str, np.ndarray],
    inputs: RankingInputs,
    weights: dict[str, float] | None = None,
    total: np.ndarray | None = None,
) -> np.ndarray:
    """What the seeker-facing lists are ordered by (scoring.Match.rank_score): the total with the skills factor
    (without learned relatives) times the seeker's share to SHARE_EXPONENT, plus RELATEDNESS_POINTS × the
    closeness. Given `total` (total_score of the same factors and weights), only the skills term is redone."""
    weights = weights or DEFAULT_WEIGHTS
    ranking = np.power(inputs.share, SHARE_EXPONENT)
    ranking *= np.round(inputs.skills, 2)
    np.round(ranking, 2, out=ranking)
    if total is None:
        ranking = total_score({**factors, "skills": ranking}, weights)
    else:
        ranking -= np.round(factors["skills"], 2)
        ranking *= weights["skills"]
        ranking += total
    ranking += RELATEDNESS_POINTS * inputs.closeness
    return ranking


def location_matrix(seekers: SeekerBatch, jobs: JobTable) -> np.ndarray:
    base, same_country, same_city = _location_tables()
    seeker_case = seekers.remote_ok.astype(np.int64) * 2 + seekers.has_location
    job_case = jobs.remote.astype(np.int64) * 2 + jobs.has_location
    location = np.take(base[seeker_case], job_case, axis=1)
    # A remote job scores by remote_ok alone; a shared country, then a shared city, lifts the others.
    np.copyto(location, same_country, where=_holds(seekers.countries, np.where(jobs.remote, -1, jobs.country_code)))
    np.copyto(location, same_city, where=_holds(seekers.cities, np.where(jobs.remote, -1, jobs.city_code)))
    return location


def job_type_matrix(seekers: SeekerBatch, jobs: JobTable) -> np.ndarray:
    types = max(int(jobs.employment_type.max(initial=0)) + 1, int(seekers.type_mask.max(initial=0)).bit_length(), 1)
    return np.take(_job_type_table(types)[seekers.type_mask], jobs.employment_type, axis=1)


def salary_matrix(seekers: SeekerBatch, jobs: JobTable) -> np.ndarray:
    salary = np.full((len(seekers.ids), len(jobs)), NEUTRAL + 20)  # no stated salary
    rows = np.flatnonzero(~np.isnan(seekers.wanted_salary))
    if len(rows):
        wanted = seekers.wanted_salary[rows][:, None]
        top = jobs.salary_top[None, :]
        with np.errstate(invalid="ignore"):
            part = np.subtract(wanted, top)  # the shortfall, then 100 × (1 - 2 × shortfall), at least 0
            np.divide(part, np.maximum(wanted, 1.0), out=part)
            np.multiply(part, 2.0, out=part)
            np.subtract(1.0, part, out=part)
            np.multiply(part, 100.0, out=part)
            np.maximum(part, 0.0, out=part)
            np.copyto(part, 100.0, where=top >= wanted)
        np.copyto(part, NEUTRAL, where=seekers.currency[rows][:, None] != jobs.currency[None, :])
        part[:, np.isnan(jobs.salary_top)] = NEUTRAL
        salary[rows] = part
    return salary


def activity_matrix(seekers: SeekerBatch, jobs: JobTable) -> np.ndarray:
    activity = np.full((len(seekers.ids), len(jobs)), NEUTRAL)  # nothing done lately
    rows = np.flatnonzero(~seekers.activity_empty)
    if len(rows):
        category = np.take(seekers.category_affinity[rows], jobs.category, axis=1)  # -1: the "no category" zeros
        company = seekers.company_affinity[rows][:, jobs.company].toarray()
        searched = np.minimum(1.0, (seekers.searched[rows] @ jobs.skills_t).toarray())
        part = np.minimum(100.0, 30.0 + 50.0 * category + 20.0 * company + 20.0 * searched)
        np.copyto(part, 100.0, where=seekers.seen[rows].toarray() > 0)
        activity[rows] = part
    return activity


# --- helpers -------------------------------------------------------------------------------------
def _holds(sets: sparse.csr_matrix, codes: np.ndarray) -> np.ndarray:
    """(B, J) bool: whether row b of `sets` (B × C, a few entries a row) holds codes[j]; -1 is never held."""
    sets = sets.tocsr()
    held = np.zeros((sets.shape[0], len(codes)), dtype=bool)
    counts = np.diff(sets.indptr)
    for slot in range(int(counts.max(initial=0))):
        mine = np.full(sets.shape[0], -2, dtype=np.int64)
        filled = counts > slot
        mine[filled] = sets.indices[sets.indptr[:-1][filled] + slot]
        held |= mine[:, None] == codes[None, :]
    return held


# Tables of the factors that depend on a few cases, filled in by scoring.py's one-pair functions.
def _compact(table: np.ndarray) -> np.ndarray:
    """uint8 when every value is a whole number in 0..255 (they all are today), else the float table."""
    if np.all(table == np.round(table)) and table.min() >= 0 and table.max() <= 255:
        return table.astype(np.uint8)
    return table


def _seeker(**fields) -> scoring.Seeker:
    return scoring.Seeker(skills=frozenset(), **fields)


def _job(**fields) -> scoring.JobSpec:
    return scoring.JobSpec(id=0, skills_required=(), **fields)


@cache
def _experience_table() -> np.ndarray:
    """[seeker level, job level] (indexes into scoring.LEVELS)."""
    table = np.empty((len(LEVELS), len(LEVELS)))
    for have, seeker_level in enumerate(LEVELS):
        for want, job_level in enumerate(LEVELS):
            table[have, want] = scoring.experience_factor(
                _seeker(experience_level=seeker_level), _job(experience_level=job_level)
            )
    return _compact(table)


@cache
def _job_type_table(types: int) -> np.ndarray:
    """[bit mask of the preferred type codes, the job's type code]."""
    names = [f"type-{code}" for code in range(types)]
    table = np.empty((1 << types, types))
    for mask in range(1 << types):
        seeker = _seeker(employment_types=tuple(name for code, name in enumerate(names) if mask >> code & 1))
        for code, name in enumerate(names):
            table[mask, code] = scoring.job_type_factor(seeker, _job(employment_type=name))
    return _compact(table)


@cache
def _location_tables() -> tuple[np.ndarray, np.generic, np.generic]:
    """[remote_ok × 2 + has a place, remote × 2 + has a place] with no shared city or country; then the values
    of a shared country and of a shared city (for a job that is not remote)."""
    table = np.empty((5, 4))  # the 4 × 4 cases, then a row holding the two shared-place values
    for seeker_case in range(4):
        seeker = _seeker(location="A, X" if seeker_case & 1 else "", remote_ok=bool(seeker_case & 2))
        for job_case in range(4):
            job = _job(location="B, Y" if job_case & 1 else "", remote=bool(job_case & 2))
            table[seeker_case, job_case] = scoring.location_factor(seeker, job)
    table[4, 0] = scoring.location_factor(_seeker(location="A, X"), _job(location="B, X"))
    table[4, 1] = scoring.location_factor(_seeker(location="A, X"), _job(location="A, X"))
    table[4, 2:] = 0
    table = _compact(table)
    return table[:4], table[4, 0], table[4, 1]


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Column indexes of the k best scores of every row, best first."""
    k = min(k, scores.shape[1])
    if k == 0:
        return np.empty((scores.shape[0], 0), dtype=np.int64)
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)
