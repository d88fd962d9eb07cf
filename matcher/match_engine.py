"""The scores of many seekers against many jobs at once (NumPy/SciPy; pure, no ORM).

It computes exactly what matcher/scoring.py computes for one pair, as matrices:
skills through one sparse product of the seekers' credit vectors (1 for a skill
they have, 0.7 for a partial one) with the jobs' IDF weights, the other factors
by broadcasting small per-seeker and per-job arrays. A batch of seekers times
every open job fits in memory; callers go batch by batch.
"""

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from matcher.scoring import CONFIDENCE_MASS, DEFAULT_WEIGHTS, FACTORS, NEUTRAL


@dataclass
class JobTable:
    ids: np.ndarray  # (J,) job ids
    weights: sparse.csr_matrix  # (J, V) IDF × (1 required | 0.5 nice to have)
    remote: np.ndarray  # (J,) bool
    city: sparse.csr_matrix  # (J, C) one-hot; an empty row when unknown
    country: sparse.csr_matrix  # (J, K) one-hot; an empty row when unknown
    has_location: np.ndarray  # (J,) bool
    level: np.ndarray  # (J,) int index into scoring.LEVELS
    salary_top: np.ndarray  # (J,) float, NaN when the job states no pay
    currency: np.ndarray  # (J,) int code
    employment_type: np.ndarray  # (J,) int code
    category: np.ndarray  # (J,) int code, -1 when none
    company: np.ndarray  # (J,) int code

    def __post_init__(self):
        self.total = np.asarray(self.weights.sum(axis=1)).ravel()
        self.weights_t = self.weights.T.tocsr()
        self.city_t = self.city.T.tocsr()
        self.country_t = self.country.T.tocsr()

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class SeekerBatch:
    ids: np.ndarray  # (B,) user ids
    credit: sparse.csr_matrix  # (B, V) 1 for a skill held, 0.7 for a partial one
    remote_ok: np.ndarray  # (B,) bool
    cities: sparse.csr_matrix  # (B, C) where they live or want to work
    countries: sparse.csr_matrix  # (B, K)
    has_location: np.ndarray  # (B,) bool
    level: np.ndarray  # (B,) int
    wanted_salary: np.ndarray  # (B,) float, NaN when they stated none
    currency: np.ndarray  # (B,) int code
    type_mask: np.ndarray  # (B,) int bit mask of preferred employment types; 0 = none stated
    category_affinity: np.ndarray  # (B, categories + 1) in 0..1; the last column is for "no category"
    company_affinity: sparse.csr_matrix  # (B, companies) in 0..1
    seen: sparse.csr_matrix  # (B, J) jobs they viewed, bookmarked or applied to recently
    activity_empty: np.ndarray  # (B,) bool


def factor_matrices(seekers: SeekerBatch, jobs: JobTable) -> dict[str, np.ndarray]:
    covered = (seekers.credit @ jobs.weights_t).toarray()
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(jobs.total > 0, covered / jobs.total, 0.0)
    skills = np.where(jobs.total > 0, 100.0 * share * (1.0 - np.exp(-covered / CONFIDENCE_MASS)), NEUTRAL)

    same_city = (seekers.cities @ jobs.city_t).toarray() > 0
    same_country = (seekers.countries @ jobs.country_t).toarray() > 0
    location = np.where(same_city, 100.0, np.where(same_country, 60.0, 10.0))
    unknown = ~seekers.has_location[:, None] | ~jobs.has_location[None, :]
    location = np.where(unknown, NEUTRAL, location)
    location = np.where(jobs.remote[None, :], np.where(seekers.remote_ok[:, None], 100.0, 80.0), location)

    gap = seekers.level[:, None] - jobs.level[None, :]
    experience = np.where(
        gap == 0, 100.0, np.where(gap > 0, np.maximum(100.0 - 15.0 * gap, 40.0), np.maximum(100.0 + 35.0 * gap, 0.0))
    )

    wanted = seekers.wanted_salary[:, None]
    top = jobs.salary_top[None, :]
    with np.errstate(invalid="ignore"):
        shortfall = (wanted - top) / np.maximum(wanted, 1.0)
        salary = np.where(top >= wanted, 100.0, np.maximum(0.0, 100.0 * (1.0 - 2.0 * shortfall)))
    salary = np.where(seekers.currency[:, None] != jobs.currency[None, :], NEUTRAL, salary)
    salary = np.where(np.isnan(top), NEUTRAL, salary)
    salary = np.where(np.isnan(wanted), NEUTRAL + 20, salary)

    prefers = (seekers.type_mask[:, None] >> jobs.employment_type[None, :]) & 1
    job_type = np.where(seekers.type_mask[:, None] == 0, NEUTRAL + 20, np.where(prefers == 1, 100.0, 20.0))

    category = seekers.category_affinity[:, jobs.category]  # -1 picks the "no category" column of zeros
    company = seekers.company_affinity[:, jobs.company].toarray()
    activity = np.minimum(100.0, 30.0 + 50.0 * category + 20.0 * company)
    activity = np.where(seekers.seen.toarray() > 0, 100.0, activity)
    activity = np.where(seekers.activity_empty[:, None], NEUTRAL, activity)

    return {
        "skills": skills,
        "location": location,
        "experience": experience,
        "salary": salary,
        "job_type": job_type,
        "recent_activity": activity,
    }


def total_score(factors: dict[str, np.ndarray], weights: dict[str, float] | None = None) -> np.ndarray:
    weights = weights or DEFAULT_WEIGHTS
    return sum(weights[name] * np.round(factors[name], 2) for name in FACTORS)


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Column indexes of the k best scores of every row, best first."""
    k = min(k, scores.shape[1])
    if k == 0:
        return np.empty((scores.shape[0], 0), dtype=np.int64)
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)
