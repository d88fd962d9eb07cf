"""Jobs and seekers as the inputs of scoring.py (one pair) and match_engine.py (many pairs) (pure, no ORM).

The two paths are built here by the same rules, so a stored recommendation and
its explanation agree; match_features.py does the reads. A job is any object
with the fields of ``matcher.models.Job`` that matter (``pk``, ``skill_names``,
``skills_preferred``, ``location``, ``remote``, ``experience_level``,
``salary_min``, ``salary_max``, ``currency``, ``employment_type``, ``category``,
``company_id``), a seeker any object with those of ``JobSeekerProfile``
(``user_id``, ``skill_names``, ``location``, ``preferred_locations``,
``remote``, ``experience_years``, ``experience_level``, ``desired_salary_min``,
``desired_salary_max``, ``currency``, ``preferred_employment_types``): model
instances in the app, plain records in bench/match_quality.py.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from marketplace.choices import EmploymentType
from marketplace.skill_taxonomy import match_kind, partial_pairs
from matcher import scoring
from matcher.match_engine import JobTable, SeekerBatch
from matcher.scoring import LEVELS, level_of

TYPE_CODES = {value: code for code, value in enumerate(EmploymentType.values)}


def idf_from_counts(document_frequency: Counter, documents: int) -> dict[str, float]:
    return {skill: math.log((documents + 1) / (df + 1)) + 0.5 for skill, df in document_frequency.items()}


def _keys(names) -> list[str]:
    return [name.lower() for name in names]


def job_skill_keys(job) -> tuple[tuple[str, ...], tuple[str, ...]]:
    required = tuple(job.skill_names)
    preferred = tuple(key for key in _keys(job.skills_preferred) if key not in required)
    return required, preferred


# --- activity ----------------------------------------------------------------------------------
@dataclass
class ActivityRows:
    jobs: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    categories: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    companies: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))


def _affinities(counter: Counter) -> dict:
    top = max(counter.values(), default=0)
    return {key: count / top for key, count in counter.items()} if top else {}


# --- one pair ----------------------------------------------------------------------------------
def _places(profile) -> tuple[str, ...]:
    return tuple(profile.preferred_locations)


def seeker_spec(profile, activity: ActivityRows) -> scoring.Seeker:
    uid = profile.user_id
    return scoring.Seeker(
        skills=frozenset(profile.skill_names),
        location=profile.location,
        preferred_locations=_places(profile),
        remote_ok=profile.remote,
        experience_years=profile.experience_years,
        experience_level=profile.experience_level,
        salary_min=profile.desired_salary_min,
        salary_max=profile.desired_salary_max,
        currency=profile.currency,
        employment_types=tuple(profile.preferred_employment_types),
        activity=scoring.Activity(
            categories=_affinities(activity.categories.get(uid, Counter())),
            companies=_affinities(activity.companies.get(uid, Counter())),
            jobs=frozenset(activity.jobs.get(uid, ())),
        ),
    )


def job_spec(job) -> scoring.JobSpec:
    required, preferred = job_skill_keys(job)
    return scoring.JobSpec(
        id=job.pk,
        skills_required=required,
        skills_preferred=preferred,
        location=job.location,
        remote=job.remote,
        experience_level=job.experience_level,
        salary_min=job.salary_min,
        salary_max=job.salary_max,
        currency=job.currency,
        employment_type=job.employment_type,
        category=job.category,
        company_id=job.company_id,
    )


def partial_of(job_skill: str, seeker_skills: frozenset[str]) -> bool:
    return any(match_kind(skill, job_skill) == "partial" for skill in seeker_skills)


# --- many pairs --------------------------------------------------------------------------------
class Codes(dict):
    """Small integer codes for strings, given out in order of first sight."""

    def code(self, value) -> int:
        return self.setdefault(value, len(self))


@dataclass
class MatchContext:
    jobs: JobTable
    vocabulary: Codes
    partial: sparse.csr_matrix  # (V, V): [i, j] = 1 when a seeker's skill i partly matches a job's skill j
    cities: Codes
    countries: Codes
    categories: Codes
    companies: Codes
    currencies: Codes
    job_index: dict[int, int]


def load_context(jobs: list, extra_skills: set[str] = frozenset()) -> MatchContext:
    """Everything about the jobs that scoring many seekers against them needs."""
    vocabulary, cities, countries = Codes(), Codes(), Codes()
    categories, companies, currencies = Codes(), Codes(), Codes()
    document_frequency: Counter = Counter()
    rows, cols, vals = [], [], []
    keyed = [job_skill_keys(job) for job in jobs]
    for required, preferred in keyed:
        document_frequency.update(set(required) | set(preferred))
    idf = idf_from_counts(document_frequency, len(jobs))
    for row, (required, preferred) in enumerate(keyed):
        for key in preferred:
            rows.append(row), cols.append(vocabulary.code(key)), vals.append(idf[key] * scoring.NICE_TO_HAVE_WEIGHT)
        for key in required:
            rows.append(row), cols.append(vocabulary.code(key)), vals.append(idf[key] * scoring.REQUIRED_WEIGHT)
    for key in sorted(extra_skills):
        vocabulary.code(key)
    size = len(jobs)
    city_col = [cities.code(scoring._city(job.location)) if job.location else -1 for job in jobs]
    country_col = [countries.code(c) if (c := scoring._country(job.location)) else -1 for job in jobs]
    table = JobTable(
        ids=np.array([job.pk for job in jobs], dtype=np.int64),
        weights=sparse.csr_matrix((vals, (rows, cols)), shape=(size, len(vocabulary)), dtype=np.float64),
        remote=np.array([job.remote for job in jobs], dtype=bool),
        city=_one_hot(city_col, len(cities)),
        country=_one_hot(country_col, len(countries)),
        has_location=np.array([bool(job.location) for job in jobs], dtype=bool),
        level=np.array([LEVELS.index(j.experience_level) if j.experience_level in LEVELS else 2 for j in jobs]),
        salary_top=np.array([_first(job.salary_max, job.salary_min) for job in jobs], dtype=np.float64),
        currency=np.array([currencies.code(job.currency) for job in jobs], dtype=np.int64),
        employment_type=np.array([TYPE_CODES.get(job.employment_type, 0) for job in jobs], dtype=np.int64),
        category=np.array([categories.code(job.category) if job.category else -1 for job in jobs], dtype=np.int64),
        company=np.array([companies.code(job.company_id) for job in jobs], dtype=np.int64),
    )
    names = list(vocabulary)
    pairs = partial_pairs(names)
    partial = sparse.csr_matrix(
        (np.ones(len(pairs)), ([i for i, _ in pairs], [j for _, j in pairs])), shape=(len(names), len(names))
    )
    return MatchContext(
        table,
        vocabulary,
        partial,
        cities,
        countries,
        categories,
        companies,
        currencies,
        {int(job_id): index for index, job_id in enumerate(table.ids)},
    )


def _first(*values) -> float:
    for value in values:
        if value is not None:
            return float(value)
    return float("nan")


def _one_hot(codes: list[int], width: int) -> sparse.csr_matrix:
    rows = [row for row, code in enumerate(codes) if code >= 0]
    cols = [code for code in codes if code >= 0]
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(codes), max(width, 1)))


def seeker_batch(profiles: list, context: MatchContext, activity: ActivityRows) -> SeekerBatch:
    size, width = len(profiles), len(context.vocabulary)
    rows, cols = [], []
    city_rows, city_cols, country_rows, country_cols = [], [], [], []
    for row, profile in enumerate(profiles):
        for key in profile.skill_names:
            code = context.vocabulary.get(key)
            if code is not None:
                rows.append(row), cols.append(code)
        for place in (profile.location, *profile.preferred_locations):
            if not place:
                continue
            if (city := context.cities.get(scoring._city(place))) is not None:
                city_rows.append(row), city_cols.append(city)
            country_name = scoring._country(place)
            if country_name and (country := context.countries.get(country_name)) is not None:
                country_rows.append(row), country_cols.append(country)
    held = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(size, width))
    held.data[:] = 1.0
    partly = (held @ context.partial) > 0
    credit = held.maximum(partly.astype(np.float64) * scoring.PARTIAL_CREDIT)

    categories = np.zeros((size, len(context.categories) + 1))
    company_rows, company_cols, company_vals, seen_rows, seen_cols = [], [], [], [], []
    for row, profile in enumerate(profiles):
        uid = profile.user_id
        for category, value in _affinities(activity.categories.get(uid, Counter())).items():
            if (code := context.categories.get(category)) is not None:
                categories[row, code] = value
        for company, value in _affinities(activity.companies.get(uid, Counter())).items():
            if (code := context.companies.get(company)) is not None:
                company_rows.append(row), company_cols.append(code), company_vals.append(value)
        for job_id in activity.jobs.get(uid, ()):
            if (index := context.job_index.get(job_id)) is not None:
                seen_rows.append(row), seen_cols.append(index)
    return SeekerBatch(
        ids=np.array([profile.user_id for profile in profiles], dtype=np.int64),
        credit=credit.tocsr(),
        remote_ok=np.array([profile.remote for profile in profiles], dtype=bool),
        cities=sparse.csr_matrix(
            (np.ones(len(city_rows)), (city_rows, city_cols)), shape=(size, max(len(context.cities), 1))
        ),
        countries=sparse.csr_matrix(
            (np.ones(len(country_rows)), (country_rows, country_cols)), shape=(size, max(len(context.countries), 1))
        ),
        has_location=np.array([bool(p.location or p.preferred_locations) for p in profiles], dtype=bool),
        level=np.array([level_of(p.experience_years, p.experience_level) for p in profiles], dtype=np.int64),
        wanted_salary=np.array([_first(p.desired_salary_min, p.desired_salary_max) for p in profiles]),
        currency=np.array([context.currencies.get(p.currency, -1) for p in profiles], dtype=np.int64),
        type_mask=np.array(
            [sum(1 << TYPE_CODES[t] for t in set(p.preferred_employment_types) if t in TYPE_CODES) for p in profiles],
            dtype=np.int64,
        ),
        category_affinity=categories,
        company_affinity=sparse.csr_matrix(
            (company_vals, (company_rows, company_cols)), shape=(size, max(len(context.companies), 1))
        ),
        seen=sparse.csr_matrix((np.ones(len(seen_rows)), (seen_rows, seen_cols)), shape=(size, len(context.jobs))),
        activity_empty=np.array(
            [
                not (
                    activity.jobs.get(p.user_id)
                    or activity.categories.get(p.user_id)
                    or activity.companies.get(p.user_id)
                )
                for p in profiles
            ],
            dtype=bool,
        ),
    )
