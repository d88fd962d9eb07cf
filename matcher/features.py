"""Jobs and seekers as the inputs of scoring.py (one pair) and engine.py (many pairs), and the reads behind them.

Both paths are built here by the same rules, so a stored recommendation and its explanation agree. The builders are
pure: a job is any object with the fields of ``marketplace.models.Job`` that matter (``pk``, ``skill_names``,
``skills_preferred``, ``skills_extracted``, ``location``, ``remote``, ``experience_level``, ``salary_min``,
``salary_max``, ``currency``, ``employment_type``, ``category``, ``company_id``), a seeker any object with those of
``JobSeekerProfile`` (``user_id``, ``skill_names``, ``location``, ``preferred_locations``, ``remote``,
``experience_years``, ``experience_level``, ``desired_salary_min``, ``desired_salary_max``, ``currency``,
``preferred_employment_types``): model instances in the app, plain records in bench/match_quality.py. The reads at
the end (open jobs, their skill IDF, the seekers' recent activity: matcher/behaviour.py) fetch what the builders
take.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from scipy import sparse

from core.sql import sql_tables
from marketplace.choices import EmploymentType, JobStatus, level_for
from marketplace.models import Application, Bookmark, Job
from matcher import scoring
from matcher.behaviour import ACT_WEIGHTS, ACTIVITY_DAYS, POSITIVE_FEEDBACK, Act, JobAct, SearchAct, sources
from matcher.models import RecommendationFeedback
from matcher.scoring import LEVELS
from matcher.skill_space import learned_pairs, unit_rows, vector_rows
from matcher.taxonomy import partial_pairs

TYPE_CODES = {value: code for code, value in enumerate(EmploymentType.values)}
IDF_CACHE_KEY = "matcher:idf:v1"


def idf_from_counts(document_frequency: Counter, documents: int) -> dict[str, float]:
    return {skill: math.log((documents + 1) / (df + 1)) + 0.5 for skill, df in document_frequency.items()}


def _keys(names) -> list[str]:
    return [name.lower() for name in names]


def job_skill_keys(job) -> tuple[tuple[str, ...], tuple[str, ...]]:
    required = tuple(job.skill_names)
    preferred = tuple(key for key in _keys(job.skills_preferred) if key not in required)
    return required, preferred


def job_text_keys(job) -> tuple[str, ...]:
    """The keys of the skills the job's title and description name beyond its lists (stored when it is saved)."""
    return tuple(_keys(job.skills_extracted))


def counted_skill_keys(job) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(required, nice to have, extracted) keys as the skills factor counts them (scoring.counted_extracted)."""
    required, preferred = job_skill_keys(job)
    return required, preferred, scoring.counted_extracted(required, preferred, job_text_keys(job))


def spelled_skills(job) -> dict[str, str]:
    """Skill key → the name as the job spells it (scoring compares keys; people read names)."""
    return {name.lower(): name for name in [*job.skills_extracted, *job.skills_preferred, *job.skills_required]}


# --- activity ----------------------------------------------------------------------------------
@dataclass
class ActivityRows:
    """Per seeker: the jobs they acted on, and the categories, companies and searched skills (keys) each act
    weighs for (behaviour.ACT_WEIGHTS)."""

    jobs: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    categories: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    companies: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))
    searched: dict[int, Counter] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, act: JobAct | SearchAct) -> None:
        if isinstance(act, SearchAct):
            for skill in act.skills:
                self.searched[act.seeker_id][skill] += act.count
            return
        weight = ACT_WEIGHTS[act.act] * act.count
        self.jobs[act.seeker_id].add(act.job_id)
        if act.category:
            self.categories[act.seeker_id][act.category] += weight
        self.companies[act.seeker_id][act.company_id] += weight

    def acted(self, seeker_id: int) -> bool:
        return bool(
            self.jobs.get(seeker_id)
            or self.categories.get(seeker_id)
            or self.companies.get(seeker_id)
            or self.searched.get(seeker_id)
        )


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
            searched=_affinities(activity.searched.get(uid, Counter())),
        ),
    )


def job_spec(job) -> scoring.JobSpec:
    required, preferred = job_skill_keys(job)
    return scoring.JobSpec(
        id=job.pk,
        skills_required=required,
        skills_preferred=preferred,
        skills_extracted=job_text_keys(job),
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


# --- many pairs: the arrays engine.py scores ---------------------------------------------------
@dataclass
class JobTable:
    ids: np.ndarray  # (J,) job ids
    weights: sparse.csr_matrix  # (J, V) scoring.skill_weight(IDF) × (1 required | 0.5 nice to have | 0.5 extracted)
    preferred: sparse.csr_matrix  # (J, V) the nice-to-have part of weights
    skill_weight: np.ndarray  # (V,) scoring.skill_weight of the IDF over these jobs; 0 for a skill none lists
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
    centroid: np.ndarray  # (J, D) float32 unit rows: the weighted centroid of the job's skills in the learned space

    def __post_init__(self):
        self.total = np.asarray(self.weights.sum(axis=1)).ravel()
        self.required_t = (self.weights - self.preferred).T.tocsr()
        self.required_total = np.asarray(self.required_t.sum(axis=0)).ravel()
        self.with_preferred = np.flatnonzero(self.preferred.getnnz(axis=1))  # jobs listing nice-to-have skills
        self.preferred_t = self.preferred[self.with_preferred].T.tocsr()
        # (V, J) 1 where the job's skills factor weighs the skill: what a searched skill is looked up in.
        self.skills_t = (self.weights > 0).astype(np.float64).T.tocsr()
        self.city_code = _codes_of(self.city)  # (J,) column of the one-hot, -1 when unknown
        self.country_code = _codes_of(self.country)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class SeekerBatch:
    ids: np.ndarray  # (B,) user ids
    credit: sparse.csr_matrix  # (B, V) 1 for a skill held, 0.7 for a partial one (taxonomy)
    learned_credit: sparse.csr_matrix  # (B, V) 0.7 for a skill only a learned relative matches (skill_space)
    centroid: np.ndarray  # (B, D) float32 unit rows: the seeker's skills in the learned space, as weighed
    skill_mass: np.ndarray  # (B,) skill weights summed over the skills held that some job lists (seeker_share)
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
    seen: sparse.csr_matrix  # (B, J) jobs they viewed, bookmarked, liked or applied to recently
    searched: sparse.csr_matrix  # (B, V) affinity for each skill they searched lately
    activity_empty: np.ndarray  # (B,) bool


def _codes_of(one_hot: sparse.csr_matrix) -> np.ndarray:
    one_hot = one_hot.tocsr()
    codes = np.full(one_hot.shape[0], -1, dtype=np.int64)
    filled = np.diff(one_hot.indptr) > 0
    codes[filled] = one_hot.indices[one_hot.indptr[:-1][filled]]
    return codes


class Codes(dict):
    """Small integer codes for strings, given out in order of first sight."""

    def code(self, value) -> int:
        return self.setdefault(value, len(self))


@dataclass
class MatchContext:
    jobs: JobTable
    vocabulary: Codes
    partial: sparse.csr_matrix  # (V, V): [i, j] = 1 when a seeker's skill i partly matches a job's skill j
    learned: sparse.csr_matrix  # (V, V): [i, j] = 1 when skill i is a learned relative of skill j
    vectors: np.ndarray  # (V, D) float32: each skill's learned vector, zeros for none
    cities: Codes
    countries: Codes
    categories: Codes
    companies: Codes
    currencies: Codes
    job_index: dict[int, int]


def _skill_cells(jobs: list, vocabulary: Codes):
    """The (row, column, weight) cells of the jobs' skill weights, which of them are nice to have, and the
    skills' weights by key (scoring.skill_weight of the IDF over the listed skills)."""
    document_frequency: Counter = Counter()
    rows, cols, vals, preferred_cells = [], [], [], []
    keyed = [counted_skill_keys(job) for job in jobs]
    for required, preferred, _ in keyed:
        # What a job's text names is no listing: it leaves the rarity of skills to the lists (current_idf agrees).
        document_frequency.update(set(required) | set(preferred))
    weight = {key: scoring.skill_weight(value) for key, value in idf_from_counts(document_frequency, len(jobs)).items()}
    unlisted = scoring.skill_weight(1.0)  # as scoring.skills_factor weighs a skill without IDF
    for row, (required, preferred, extracted) in enumerate(keyed):
        # Extracted skills weigh as (lighter) requirements, outside `preferred` (scoring.counted_extracted).
        for key in extracted:
            rows.append(row), cols.append(vocabulary.code(key))
            vals.append(weight.get(key, unlisted) * scoring.EXTRACTED_WEIGHT)
        for key in preferred:
            rows.append(row), cols.append(vocabulary.code(key)), vals.append(weight[key] * scoring.NICE_TO_HAVE_WEIGHT)
            preferred_cells.append(len(vals) - 1)
        for key in required:
            rows.append(row), cols.append(vocabulary.code(key)), vals.append(weight[key] * scoring.REQUIRED_WEIGHT)
    return (rows, cols, vals), preferred_cells, weight


def load_context(jobs: list, extra_skills: set[str] = frozenset()) -> MatchContext:
    """Everything about the jobs that scoring many seekers against them needs."""
    vocabulary, cities, countries = Codes(), Codes(), Codes()
    categories, companies, currencies = Codes(), Codes(), Codes()
    (rows, cols, vals), preferred_cells, weight = _skill_cells(jobs, vocabulary)
    for key in sorted(extra_skills):
        vocabulary.code(key)
    shape = (len(jobs), len(vocabulary))
    nice = [vals[i] for i in preferred_cells], ([rows[i] for i in preferred_cells], [cols[i] for i in preferred_cells])
    weight_vector = np.zeros(len(vocabulary))
    for key, value in weight.items():
        weight_vector[vocabulary[key]] = value
    names = list(vocabulary)
    vectors = vector_rows(names)
    job_weights = sparse.csr_matrix((vals, (rows, cols)), shape=shape, dtype=np.float64)
    city_col = [cities.code(scoring._city(job.location)) if job.location else -1 for job in jobs]
    country_col = [countries.code(c) if (c := scoring._country(job.location)) else -1 for job in jobs]
    table = JobTable(
        ids=np.array([job.pk for job in jobs], dtype=np.int64),
        weights=job_weights,
        preferred=sparse.csr_matrix(nice, shape=shape, dtype=np.float64),
        skill_weight=weight_vector,
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
        centroid=unit_rows(job_weights.astype(np.float32) @ vectors),
    )
    codes = (cities, countries, categories, companies, currencies)
    partial, learned = _pair_matrix(partial_pairs(names), len(names)), _pair_matrix(learned_pairs(names), len(names))
    job_index = {int(job_id): index for index, job_id in enumerate(table.ids)}
    return MatchContext(table, vocabulary, partial, learned, vectors, *codes, job_index)


def _pair_matrix(pairs: set[tuple[int, int]], size: int) -> sparse.csr_matrix:
    return sparse.csr_matrix((np.ones(len(pairs)), ([i for i, _ in pairs], [j for _, j in pairs])), shape=(size, size))


def _first(*values) -> float:
    for value in values:
        if value is not None:
            return float(value)
    return float("nan")


def _one_hot(codes: list[int], width: int) -> sparse.csr_matrix:
    rows = [row for row, code in enumerate(codes) if code >= 0]
    cols = [code for code in codes if code >= 0]
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(codes), max(width, 1)))


def _indicator(rows: list[int], cols: list[int], shape: tuple[int, int]) -> sparse.csr_matrix:
    return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)


def seeker_batch(profiles: list, context: MatchContext, activity: ActivityRows) -> SeekerBatch:
    cities, countries = _seeker_places(profiles, context)
    category_affinity, company_affinity, seen, searched = _seeker_activity(profiles, context, activity)
    credit, learned_credit, held = _skill_credit(profiles, context)
    weighed = held.multiply(context.jobs.skill_weight[None, :]).tocsr()
    return SeekerBatch(
        ids=np.array([profile.user_id for profile in profiles], dtype=np.int64),
        credit=credit,
        learned_credit=learned_credit,
        centroid=unit_rows(weighed.astype(np.float32) @ context.vectors),
        skill_mass=held @ context.jobs.skill_weight,
        remote_ok=np.array([profile.remote for profile in profiles], dtype=bool),
        cities=cities,
        countries=countries,
        has_location=np.array([bool(p.location or p.preferred_locations) for p in profiles], dtype=bool),
        level=np.array(
            [LEVELS.index(level_for(p.experience_years, p.experience_level)) for p in profiles], dtype=np.int64
        ),
        wanted_salary=np.array([_first(p.desired_salary_min, p.desired_salary_max) for p in profiles]),
        currency=np.array([context.currencies.get(p.currency, -1) for p in profiles], dtype=np.int64),
        type_mask=np.array(
            [sum(1 << TYPE_CODES[t] for t in set(p.preferred_employment_types) if t in TYPE_CODES) for p in profiles],
            dtype=np.int64,
        ),
        category_affinity=category_affinity,
        company_affinity=company_affinity,
        seen=seen,
        searched=searched,
        activity_empty=np.array([not activity.acted(p.user_id) for p in profiles], dtype=bool),
    )


def _skill_credit(
    profiles: list, context: MatchContext
) -> tuple[sparse.csr_matrix, sparse.csr_matrix, sparse.csr_matrix]:
    """(B, V): 1 for a skill held, PARTIAL_CREDIT for one that some held skill partly matches (taxonomy); then
    PARTIAL_CREDIT for one only a learned relative matches; and the held ones."""
    rows, cols = [], []
    for row, profile in enumerate(profiles):
        for key in profile.skill_names:
            code = context.vocabulary.get(key)
            if code is not None:
                rows.append(row), cols.append(code)
    held = _indicator(rows, cols, (len(profiles), len(context.vocabulary)))
    held.data[:] = 1.0  # a key listed twice is still held once
    partly = (held @ context.partial) > 0
    credit = held.maximum(partly.astype(np.float64) * scoring.PARTIAL_CREDIT).tocsr()
    related = ((held @ context.learned) > 0).astype(np.float64) * scoring.PARTIAL_CREDIT
    learned_credit = (related - related.multiply(credit > 0)).tocsr()
    learned_credit.eliminate_zeros()
    return credit, learned_credit, held


def _seeker_places(profiles: list, context: MatchContext) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """(B, C) cities and (B, K) countries of where each seeker lives or wants to work, among the jobs' places."""
    city_rows, city_cols, country_rows, country_cols = [], [], [], []
    for row, profile in enumerate(profiles):
        for place in (profile.location, *profile.preferred_locations):
            if not place:
                continue
            if (city := context.cities.get(scoring._city(place))) is not None:
                city_rows.append(row), city_cols.append(city)
            country_name = scoring._country(place)
            if country_name and (country := context.countries.get(country_name)) is not None:
                country_rows.append(row), country_cols.append(country)
    size = len(profiles)
    return (
        _indicator(city_rows, city_cols, (size, max(len(context.cities), 1))),
        _indicator(country_rows, country_cols, (size, max(len(context.countries), 1))),
    )


def _seeker_activity(
    profiles: list, context: MatchContext, activity: ActivityRows
) -> tuple[np.ndarray, sparse.csr_matrix, sparse.csr_matrix, sparse.csr_matrix]:
    """(B, categories + 1) and (B, companies) affinities, (B, J) the jobs each seeker acted on recently, and
    (B, V) their affinity for the skills they searched (a skill no job is scored on cannot matter: left out)."""
    size = len(profiles)
    categories = np.zeros((size, len(context.categories) + 1))
    company_rows, company_cols, company_vals, seen_rows, seen_cols = [], [], [], [], []
    searched_rows, searched_cols, searched_vals = [], [], []
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
        for skill, value in _affinities(activity.searched.get(uid, Counter())).items():
            if (code := context.vocabulary.get(skill)) is not None:
                searched_rows.append(row), searched_cols.append(code), searched_vals.append(value)
    companies = sparse.csr_matrix(
        (company_vals, (company_rows, company_cols)), shape=(size, max(len(context.companies), 1))
    )
    searched = sparse.csr_matrix((searched_vals, (searched_rows, searched_cols)), shape=(size, len(context.vocabulary)))
    return categories, companies, _indicator(seen_rows, seen_cols, (size, len(context.jobs))), searched


# --- the reads ---------------------------------------------------------------------------------
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
    """Applications, bookmarks, positive feedback, views and searches of the last 30 days, per seeker: one query
    for each of the first three, and one for each registered source (analytics: views and searches)."""
    seeker_ids = list(seeker_ids)
    since = timezone.now() - timedelta(days=ACTIVITY_DAYS)
    rows = ActivityRows()
    own = (
        (
            Act.APPLICATION,
            Application.objects.filter(candidate_id__in=seeker_ids, created_at__gte=since).values_list(
                "candidate_id", "job_id", "job__category", "job__company_id"
            ),
        ),
        (
            Act.BOOKMARK,
            Bookmark.objects.filter(user_id__in=seeker_ids, created_at__gte=since).values_list(
                "user_id", "job_id", "job__category", "job__company_id"
            ),
        ),
        (
            Act.FEEDBACK,
            RecommendationFeedback.objects.filter(
                seeker_id__in=seeker_ids, created_at__gte=since, feedback__in=POSITIVE_FEEDBACK
            ).values_list("seeker_id", "job_id", "job__category", "job__company_id"),
        ),
    )
    for act, query in own:
        for seeker_id, job_id, category, company_id in query:
            rows.add(JobAct(seeker_id, act, job_id, category, company_id))
    for source in sources():
        for found in source(seeker_ids, since):
            rows.add(found)
    return rows
