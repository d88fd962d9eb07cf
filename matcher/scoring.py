"""The match score of a job seeker for a job, 0–100, with its factors and reasons (pure, no ORM).

Weights (CONTRACT.md): skills 0.30, location 0.15, experience 0.20, salary 0.15,
job type 0.10, recent activity 0.10. `engine.py` computes the same numbers
for many pairs at once with NumPy; the two are tested to agree. `features.py`
builds the inputs of both from jobs and profiles.

Skills (docs/matching.md): a job skill the seeker has counts 100%, a partial
match (a taxonomy relative, one name a whole word inside the other, or a
learned relative from matcher/skill_space.py) 70%.
Required skills weigh twice what nice-to-have ones do, and every skill weighs by
its rarity (the fourth root of its IDF), so that knowing Excel says less than
knowing Kubernetes. Nice-to-have skills count once every required one is held.
The factor is the covered share of the job's weight: identical skill sets score
100. It reads the pair from the job's side, as a recruiter does; the seeker-facing
ranking (`Match.rank_score`) multiplies it by the square of the seeker's share,
the part of the seeker's own skills the job uses, so that a job listing one
common tool does not outrank the job whose many specific skills the seeker has.
That ranking counts learned relatives not per skill but as the closeness of the
two skill lists in the learned space (up to RELATEDNESS_POINTS).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from marketplace.choices import ExperienceLevel, level_for

FACTORS = ("skills", "location", "experience", "salary", "job_type", "recent_activity")
DEFAULT_WEIGHTS: dict[str, float] = {
    "skills": 0.30,
    "location": 0.15,
    "experience": 0.20,
    "salary": 0.15,
    "job_type": 0.10,
    "recent_activity": 0.10,
}
PARTIAL_CREDIT = 0.7
REQUIRED_WEIGHT = 1.0
NICE_TO_HAVE_WEIGHT = 0.5
# Skills that a job's title and description name but its lists do not count only when it lists fewer than
# SHORT_LISTING required skills, as requirements of half the weight: prose names tools in passing ("our team also
# uses Kafka"), so what the recruiter listed says more; bench/match_quality.py measured 0.25, 0.5 and 1 (docs).
SHORT_LISTING = 3
EXTRACTED_WEIGHT = 0.5
# How strongly the seeker-facing ranking prefers jobs that use more of the seeker's skills (docs/matching.md).
SHARE_EXPONENT = 2.0
# A skill weighs IDF ** IDF_POWER: rarer skills weigh more, but a rare skill missing from a short job does not
# outweigh several common ones held (docs/matching.md; bench/match_quality.py measured 0.2 to 1).
IDF_POWER = 0.25
# What the closeness of the two skill lists in the learned space adds to the seeker-facing ranking, at most
# (bench/match_quality.py: 5 points lift the share of related occupations in a top 10 from 0.315 to 0.338 and
# change no hit@1; docs/matching.md, "Related skills").
RELATEDNESS_POINTS = 5.0
LEVELS = tuple(ExperienceLevel.values)  # lowest first: a level's index orders it
NEUTRAL = 50.0


@dataclass(frozen=True)
class Activity:
    """What the seeker did in the last 30 days (matcher/behaviour.py): affinities in 0..1 for the categories and
    companies of the jobs they applied to, bookmarked, liked or viewed, and for the skills they searched; and
    those jobs themselves."""

    categories: Mapping[str, float] = field(default_factory=dict)
    companies: Mapping[int, float] = field(default_factory=dict)
    jobs: frozenset[int] = frozenset()
    searched: Mapping[str, float] = field(default_factory=dict)  # skill key -> affinity

    @property
    def empty(self) -> bool:
        return not (self.categories or self.companies or self.jobs or self.searched)


@dataclass(frozen=True)
class Seeker:
    skills: frozenset[str]  # canonical names, lower-cased keys
    location: str = ""
    preferred_locations: tuple[str, ...] = ()
    remote_ok: bool = False
    experience_years: float = 0
    experience_level: str = ""
    salary_min: int | None = None
    salary_max: int | None = None
    currency: str = "USD"
    employment_types: tuple[str, ...] = ()
    activity: Activity = field(default_factory=Activity)


@dataclass(frozen=True)
class JobSpec:
    id: int
    skills_required: tuple[str, ...]  # lower-cased canonical keys
    skills_preferred: tuple[str, ...] = ()
    skills_extracted: tuple[str, ...] = ()  # keys the title and description name (counted_extracted says when)
    location: str = ""
    remote: bool = False
    experience_level: str = "mid"
    salary_min: int | None = None
    salary_max: int | None = None
    currency: str = "USD"
    employment_type: str = "full_time"
    category: str = ""
    company_id: int = 0


@dataclass(frozen=True)
class SkillMatch:
    score: float
    matched: tuple[str, ...]
    partial: tuple[str, ...]
    missing: tuple[str, ...]
    share: float = 0.0  # of the seeker's skill weight that this job counts (seeker_share)
    # The factor without the credit of learned relatives: what the seeker-facing ranking uses (docs/matching.md).
    ranking_score: float = 0.0


@dataclass(frozen=True)
class Match:
    score: float
    factors: dict[str, float]
    skills: SkillMatch
    reasons: tuple[str, ...]
    rank_score: float = 0.0  # what seeker-facing lists order by (docs/matching.md); score is what they show


# --- skills --------------------------------------------------------------------------------
def skills_factor(
    seeker_skills: frozenset[str], job: JobSpec, idf: Mapping[str, float], partial_of=None, related_of=None
) -> SkillMatch:
    """`partial_of(job_skill, seeker_skills)` says whether some seeker skill partially matches through the
    taxonomy, `related_of` whether one is a learned relative (skill_space.related_of): both count 70% in the
    score; the ranking score leaves the learned ones out."""
    weights = job_skill_weights(job, idf)
    required = {
        *job.skills_required,
        *counted_extracted(job.skills_required, job.skills_preferred, job.skills_extracted),
    }
    if not weights:
        return SkillMatch(NEUTRAL, (), (), (), 1.0, NEUTRAL)  # nothing to compare: neutral in both
    matched, partial, missing = [], [], []
    covered_required = covered_preferred = learned_required = learned_preferred = 0.0
    for skill, weight in weights.items():
        credit = learned = 0.0
        if skill in seeker_skills:
            matched.append(skill)
            credit = 1.0
        elif partial_of is not None and partial_of(skill, seeker_skills):
            partial.append(skill)
            credit = PARTIAL_CREDIT
        elif related_of is not None and related_of(skill, seeker_skills):
            partial.append(skill)
            learned = PARTIAL_CREDIT
        else:
            missing.append(skill)
        if skill in required:
            covered_required += credit * weight
            learned_required += learned * weight
        else:
            covered_preferred += credit * weight
            learned_preferred += learned * weight
    # Nice-to-have skills count once every required skill is held exactly: they cannot make up for a missing
    # requirement, so a seeker with all of them always scores above one without some (other factors equal).
    covered, learned = covered_required, learned_required
    if required <= set(matched):
        covered += covered_preferred
        learned += learned_preferred
    total = sum(weights.values())
    score = 100.0 * (covered + learned) / total
    return SkillMatch(
        round(score, 2),
        tuple(matched),
        tuple(partial),
        tuple(missing),
        seeker_share(seeker_skills, covered, idf),
        round(100.0 * covered / total, 2),
    )


def job_skill_weights(job: JobSpec, idf: Mapping[str, float]) -> dict[str, float]:
    """What each of the job's skills weighs: its rarity, halved when only nice to have or only named in its text."""
    weights: dict[str, float] = {}
    for skill in job.skills_preferred:
        weights[skill] = skill_weight(idf.get(skill, 1.0)) * NICE_TO_HAVE_WEIGHT
    for skill in job.skills_required:
        weights[skill] = skill_weight(idf.get(skill, 1.0)) * REQUIRED_WEIGHT
    for skill in counted_extracted(job.skills_required, job.skills_preferred, job.skills_extracted):
        weights[skill] = skill_weight(idf.get(skill, 1.0)) * EXTRACTED_WEIGHT
    return weights


def seeker_skill_weights(seeker_skills: frozenset[str], idf: Mapping[str, float]) -> dict[str, float]:
    """What each of the seeker's skills weighs; skills no open job lists weigh nothing (seeker_share)."""
    return {skill: skill_weight(idf[skill]) for skill in seeker_skills if skill in idf}


def counted_extracted(
    required: tuple[str, ...], preferred: tuple[str, ...], extracted: tuple[str, ...]
) -> tuple[str, ...]:
    """The extracted skills that count: none once the job lists SHORT_LISTING required skills, and never one it
    lists. They count as requirements of EXTRACTED_WEIGHT: at once, and nice-to-have skills wait for them too."""
    if len(required) >= SHORT_LISTING:
        return ()
    listed = {*required, *preferred}
    return tuple(skill for skill in extracted if skill not in listed)


def skill_weight(idf_value: float) -> float:
    return idf_value**IDF_POWER


def seeker_share(seeker_skills: frozenset[str], covered: float, idf: Mapping[str, float]) -> float:
    """The covered weight over the weight of the seeker's own skills that some open job asks for, at most 1.

    Skills no open job lists (no IDF) leave it alone: they say nothing about which of the jobs fits better.
    """
    mass = sum(seeker_skill_weights(seeker_skills, idf).values())
    return min(1.0, covered / mass) if mass > 0 else 0.0


def ranking_skills(skills_score: float, share: float) -> float:
    """The skills term of the seeker-facing ranking: the factor times the seeker's share to a power."""
    return skills_score * share**SHARE_EXPONENT


# --- the other factors ---------------------------------------------------------------------
def _city(location: str) -> str:
    return location.split(",")[0].strip().lower()


def _country(location: str) -> str:
    # The last part: "Nairobi, Kenya" -> kenya, and a location that names only a country ("Kenya") is in it.
    parts = [part.strip().lower() for part in location.split(",") if part.strip()]
    return parts[-1] if parts else ""


def location_factor(seeker: Seeker, job: JobSpec) -> float:
    if job.remote:
        return 100.0 if seeker.remote_ok else 80.0
    if not job.location or not (seeker.location or seeker.preferred_locations):
        return NEUTRAL
    job_city, job_country = _city(job.location), _country(job.location)
    places = [seeker.location, *seeker.preferred_locations]
    if any(_city(place) == job_city for place in places if place):
        return 100.0
    if job_country and any(_country(place) == job_country for place in places if place):
        return 60.0
    return 10.0


def level_gap(seeker: Seeker, job: JobSpec) -> int:
    """Levels the seeker is above (> 0) or below (< 0) the job's; a job without a known level asks for mid."""
    want = LEVELS.index(job.experience_level) if job.experience_level in LEVELS else 2
    return LEVELS.index(level_for(seeker.experience_years, seeker.experience_level)) - want


def experience_factor(seeker: Seeker, job: JobSpec) -> float:
    gap = level_gap(seeker, job)
    if gap == 0:
        return 100.0
    if gap > 0:  # over-qualified: still a fit, less so the further apart
        return max(100.0 - 15.0 * gap, 40.0)
    return max(100.0 - 35.0 * -gap, 0.0)


def salary_factor(seeker: Seeker, job: JobSpec) -> float:
    if seeker.salary_min is None and seeker.salary_max is None:
        return NEUTRAL + 20
    if job.salary_min is None and job.salary_max is None:
        return NEUTRAL
    if seeker.currency and job.currency and seeker.currency != job.currency:
        return NEUTRAL
    job_top = job.salary_max if job.salary_max is not None else job.salary_min
    wanted = seeker.salary_min if seeker.salary_min is not None else seeker.salary_max
    if job_top >= wanted:
        return 100.0  # the ranges overlap (or the job pays more than asked)
    shortfall = (wanted - job_top) / max(wanted, 1)
    return max(0.0, 100.0 * (1.0 - 2.0 * shortfall))


def job_type_factor(seeker: Seeker, job: JobSpec) -> float:
    if not seeker.employment_types:
        return NEUTRAL + 20
    return 100.0 if job.employment_type in seeker.employment_types else 20.0


def activity_factor(seeker: Seeker, job: JobSpec) -> float:
    activity = seeker.activity
    if activity.empty:
        return NEUTRAL
    if job.id in activity.jobs:
        return 100.0
    category = activity.categories.get(job.category, 0.0)
    company = activity.companies.get(job.company_id, 0.0)
    searched = min(1.0, sum(activity.searched.get(skill, 0.0) for skill in scored_skills(job)))
    return round(min(100.0, 30.0 + 50.0 * category + 20.0 * company + 20.0 * searched), 2)


def scored_skills(job: JobSpec) -> tuple[str, ...]:
    """Every skill the skills factor weighs for the job: listed, then named by its text when counted."""
    listed = tuple(dict.fromkeys((*job.skills_required, *job.skills_preferred)))
    return listed + counted_extracted(job.skills_required, job.skills_preferred, job.skills_extracted)


# --- the whole score -----------------------------------------------------------------------
def score_match(
    seeker: Seeker,
    job: JobSpec,
    *,
    idf: Mapping[str, float],
    weights: Mapping[str, float] | None = None,
    partial_of=None,
    related_of=None,
    closeness_of=None,
    spelled: Mapping[str, str] | None = None,
) -> Match:
    """`spelled` maps skill keys to the names the reasons should show (the job's own spelling);
    `closeness_of(seeker_skills, job, idf)` is the learned-space closeness (skill_space.pair_closeness)."""
    weights = weights or DEFAULT_WEIGHTS
    skill_match = skills_factor(seeker.skills, job, idf, partial_of, related_of)
    factors = {
        "skills": skill_match.score,
        "location": location_factor(seeker, job),
        "experience": experience_factor(seeker, job),
        "salary": salary_factor(seeker, job),
        "job_type": job_type_factor(seeker, job),
        "recent_activity": activity_factor(seeker, job),
    }
    factors = {name: round(value, 2) for name, value in factors.items()}
    total = sum(weights[name] * factors[name] for name in FACTORS)
    ranking = {**factors, "skills": round(ranking_skills(skill_match.ranking_score, skill_match.share), 2)}
    rank_total = sum(weights[name] * ranking[name] for name in FACTORS)
    if closeness_of is not None:
        rank_total += RELATEDNESS_POINTS * closeness_of(seeker.skills, job, idf)
    reasons = reasons_for(factors, skill_match, seeker, job, spelled or {})
    return Match(round(total, 2), factors, skill_match, tuple(reasons), round(rank_total, 2))


def reasons_for(
    factors: Mapping[str, float], skills: SkillMatch, seeker: Seeker, job: JobSpec, spelled: Mapping[str, str]
) -> list[str]:
    def names(keys) -> str:
        return ", ".join(spelled.get(key, key) for key in keys)

    reasons = []
    asked = len(skills.matched) + len(skills.partial) + len(skills.missing)
    if skills.matched:
        reasons.append(f"You have {len(skills.matched)} of the {asked} skills this job asks for.")
        if len(seeker.skills) > len(skills.matched):
            # Why a job can rank below one with a lower score: it uses less of what the seeker knows.
            reasons.append(f"It uses {len(skills.matched)} of your {len(seeker.skills)} skills.")
    if skills.partial:
        reasons.append(f"Related experience counts partly for: {names(skills.partial)}.")
    if skills.missing:
        reasons.append(f"Missing: {names(skills.missing[:5])}{'…' if len(skills.missing) > 5 else ''}.")
    if job.remote:
        reasons.append("The job is remote." + (" You are open to remote work." if seeker.remote_ok else ""))
    elif factors["location"] >= 100:
        reasons.append(f"The job is in {job.location}, where you want to work.")
    elif factors["location"] <= 10:
        reasons.append(f"The job is in {job.location}, away from where you want to work.")
    if factors["experience"] >= 100:
        reasons.append(f"Your experience fits the {job.experience_level} level.")
    elif factors["experience"] < 60 and level_gap(seeker, job) > 0:
        reasons.append(f"You are more experienced than the {job.experience_level} level asks.")
    elif factors["experience"] < 60:
        reasons.append(f"The {job.experience_level} level is a stretch from your experience.")
    if factors["salary"] >= 100 and seeker.salary_min is not None:
        reasons.append("The pay meets what you asked for.")
    elif factors["salary"] < 50:
        reasons.append("The pay is below what you asked for.")
    if factors["job_type"] >= 100:
        reasons.append(f"{job.employment_type.replace('_', ' ').capitalize()} is a type of work you prefer.")
    if factors["recent_activity"] > 70:
        reasons.append("It is close to what you looked at recently.")
    return reasons
