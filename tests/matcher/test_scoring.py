"""The match score, factor by factor, its weights and its reasons (pure: no database)."""

import math
import re

import pytest

from marketplace.choices import level_for
from matcher import scoring
from matcher.scoring import (
    DEFAULT_WEIGHTS,
    FACTORS,
    NEUTRAL,
    NICE_TO_HAVE_WEIGHT,
    PARTIAL_CREDIT,
    Activity,
    JobSpec,
    Seeker,
    activity_factor,
    experience_factor,
    job_type_factor,
    location_factor,
    salary_factor,
    score_match,
    skills_factor,
)
from matcher.taxonomy import match_kind

# Any IDF: with one skill, or skills of the same IDF, the factor is the covered share of the skills.
CERTAIN = 100.0


def partial_of(job_skill: str, seeker_skills: frozenset[str]) -> bool:
    """What matcher.taxonomy.partial_of does."""
    return any(match_kind(skill, job_skill) == "partial" for skill in seeker_skills)


def idf_of(document_frequency: dict[str, int], documents: int) -> dict[str, float]:
    """The IDF of matcher.features.idf_from_counts."""
    return {skill: math.log((documents + 1) / (df + 1)) + 0.5 for skill, df in document_frequency.items()}


def job(**fields) -> JobSpec:
    return JobSpec(**{"id": 1, "skills_required": (), **fields})


def seeker(**fields) -> Seeker:
    return Seeker(**{"skills": frozenset(), **fields})


# --- skills --------------------------------------------------------------------------------------
def test_an_exact_skill_counts_in_full():
    result = skills_factor(frozenset({"kubernetes"}), job(skills_required=("kubernetes",)), {"kubernetes": CERTAIN})
    assert result.score == pytest.approx(100.0)
    assert result.matched == ("kubernetes",) and result.partial == () and result.missing == ()


def test_identical_skill_sets_score_100_whatever_the_idf():
    # The case: a seeker with exactly the job's two skills read "skills 40%" under the old confidence term.
    idf = idf_of({"python": 300, "django": 120, "docker": 200}, 1000)
    two = skills_factor(frozenset({"python", "django"}), job(skills_required=("python", "django")), idf)
    assert two.score == 100.0
    spec = job(skills_required=("python", "django"), skills_preferred=("docker",))
    assert skills_factor(frozenset({"python", "django", "docker"}), spec, idf).score == 100.0
    assert skills_factor(frozenset({"cobol"}), job(skills_required=("cobol",)), {}).score == 100.0  # unknown IDF


def test_a_partial_skill_counts_seventy_percent():
    # Django is a taxonomy child of Python: a Python developer partly covers a Django job.
    assert match_kind("python", "django") == "partial"
    result = skills_factor(frozenset({"python"}), job(skills_required=("django",)), {"django": CERTAIN}, partial_of)
    assert result.score == pytest.approx(100.0 * PARTIAL_CREDIT)
    assert result.partial == ("django",) and result.matched == () and result.missing == ()


def test_a_partial_match_needs_the_partial_rule_and_whole_words():
    spec = job(skills_required=("django",))
    assert skills_factor(frozenset({"python"}), spec, {"django": CERTAIN}).score == 0  # no partial rule given
    java_job = job(skills_required=("javascript",))
    result = skills_factor(frozenset({"java"}), java_job, {"javascript": CERTAIN}, partial_of)
    assert result.score == 0 and result.missing == ("javascript",)


def test_the_factor_is_the_covered_share_of_the_jobs_weight():
    idf = {"python": 1.5, "django": 2.0, "docker": 0.8, "redis": 3.0}
    spec = job(skills_required=("python", "django"), skills_preferred=("docker", "redis"))
    w = {key: value**scoring.IDF_POWER for key, value in idf.items()}
    total = w["python"] + w["django"] + NICE_TO_HAVE_WEIGHT * (w["docker"] + w["redis"])
    result = skills_factor(frozenset({"python", "django", "docker"}), spec, idf)
    covered = w["python"] + w["django"] + NICE_TO_HAVE_WEIGHT * w["docker"]
    assert result.score == pytest.approx(100 * covered / total, abs=0.01)
    assert set(result.matched) == {"python", "django", "docker"} and result.missing == ("redis",)


def test_nice_to_have_skills_count_only_on_top_of_every_required_one():
    idf = {"python": 1.5, "django": 2.0, "docker": 0.8, "redis": 3.0}
    spec = job(skills_required=("python", "django"), skills_preferred=("docker", "redis"))
    w = {key: value**scoring.IDF_POWER for key, value in idf.items()}
    total = w["python"] + w["django"] + NICE_TO_HAVE_WEIGHT * (w["docker"] + w["redis"])
    every_required = skills_factor(frozenset({"python", "django"}), spec, idf).score
    missing_one = skills_factor(frozenset({"python", "docker", "redis"}), spec, idf)
    # The nice-to-have ones add nothing yet.
    assert missing_one.score == pytest.approx(100 * w["python"] / total, abs=0.01)
    assert every_required > missing_one.score
    # A required skill held only partly is not held: the nice-to-have ones still wait.
    partly = skills_factor(
        frozenset({"python", "docker"}), job(skills_required=("django",), skills_preferred=("docker",)), idf, partial_of
    )
    assert partly.partial == ("django",)
    assert partly.score == pytest.approx(
        100 * PARTIAL_CREDIT * w["django"] / (w["django"] + NICE_TO_HAVE_WEIGHT * w["docker"]), abs=0.01
    )


def test_required_skills_weigh_more_than_nice_to_have():
    idf = {"go": CERTAIN, "rust": CERTAIN, "c": CERTAIN}
    spec = job(skills_required=("go", "c"), skills_preferred=("rust",))
    both_required = skills_factor(frozenset({"go", "c"}), spec, idf).score
    required_and_preferred = skills_factor(frozenset({"go", "rust"}), spec, idf).score
    assert both_required > required_and_preferred
    # Required weighs twice a nice-to-have skill: 2 / 2.5 of the job's weight.
    assert both_required == pytest.approx(100 * 2 / 2.5, abs=0.01)


def test_a_skill_both_required_and_preferred_counts_once_as_required():
    result = skills_factor(frozenset({"go"}), job(skills_required=("go",), skills_preferred=("go",)), {"go": CERTAIN})
    assert result.score == pytest.approx(100.0) and result.matched == ("go",)


def test_knowing_rarer_skills_counts_more():
    idf = {"excel": 0.6, "kubernetes": 4.0}
    spec = job(skills_required=("excel", "kubernetes"))
    assert (
        skills_factor(frozenset({"kubernetes"}), spec, idf).score > skills_factor(frozenset({"excel"}), spec, idf).score
    )


# --- skills the job's text names (extracted when it is saved) --------------------------------------
def test_a_short_listing_is_also_scored_on_the_skills_its_text_names():
    idf = {"python": CERTAIN, "django": CERTAIN, "postgresql": CERTAIN}
    spec = job(skills_required=("python",), skills_extracted=("django", "postgresql"))
    with_them = skills_factor(frozenset({"python", "django", "postgresql"}), spec, idf)
    without = skills_factor(frozenset({"python"}), spec, idf)
    assert with_them.score == 100.0  # every skill the job asks for, listed or named
    # Each named skill weighs half a listed one: 1 / (1 + 2 × 0.5) of the job's weight is the listed one.
    assert scoring.EXTRACTED_WEIGHT == 0.5
    assert without.score == pytest.approx(100 / (1 + 2 * scoring.EXTRACTED_WEIGHT), abs=0.01)
    assert with_them.score > without.score
    assert without.missing == ("django", "postgresql")


def test_a_job_listing_enough_skills_ignores_its_text():
    listed = ("python", "django", "docker")
    assert len(listed) == scoring.SHORT_LISTING
    spec = job(skills_required=listed, skills_extracted=("postgresql", "kubernetes"))
    idf = dict.fromkeys([*listed, "postgresql", "kubernetes"], CERTAIN)
    assert skills_factor(frozenset(listed), spec, idf).score == 100.0
    assert skills_factor(frozenset({*listed, "postgresql", "kubernetes"}), spec, idf).score == 100.0
    assert scoring.counted_extracted(listed, (), ("postgresql",)) == ()


def test_named_skills_count_as_lighter_requirements():
    idf = {"python": CERTAIN, "django": CERTAIN, "postgresql": CERTAIN, "docker": CERTAIN}
    spec = job(skills_required=("python",), skills_preferred=("docker",), skills_extracted=("django", "postgresql"))
    # They count at once, even for a seeker without the listed skill: the text says what the work is.
    named_only = skills_factor(frozenset({"django", "postgresql"}), spec, idf).score
    assert named_only == pytest.approx(100 * 1.0 / (1 + 1.0 + NICE_TO_HAVE_WEIGHT), abs=0.01)
    # A listed skill still weighs twice a named one.
    assert skills_factor(frozenset({"python"}), spec, idf).score > skills_factor(frozenset({"django"}), spec, idf).score
    # Nice-to-have skills wait for the named ones as for the listed ones.
    assert skills_factor(frozenset({"python", "docker"}), spec, idf).score == pytest.approx(100 / 2.5, abs=0.01)
    assert skills_factor(frozenset({"python", "django", "postgresql", "docker"}), spec, idf).score == 100.0


def test_a_named_skill_the_job_also_lists_counts_once_as_listed():
    assert scoring.counted_extracted(("python",), ("docker",), ("python", "docker", "redis")) == ("redis",)
    spec = job(skills_required=("python",), skills_extracted=("python",))
    assert skills_factor(frozenset({"python"}), spec, {"python": CERTAIN}).score == 100.0


def test_a_job_listing_nothing_is_scored_on_what_its_text_names():
    spec = job(skills_extracted=("figma",))
    assert skills_factor(frozenset({"figma"}), spec, {}).score == 100.0
    assert skills_factor(frozenset({"python"}), spec, {}).score == 0.0
    assert skills_factor(frozenset({"python"}), job(), {}).score == NEUTRAL  # nothing listed, nothing named


def test_a_job_without_skills_is_neutral():
    empty = skills_factor(frozenset({"python"}), job(), {})
    assert empty.score == NEUTRAL and empty.matched == empty.partial == empty.missing == ()
    assert empty.share == 1.0 and scoring.ranking_skills(empty.score, empty.share) == NEUTRAL


def test_more_of_the_jobs_skills_never_scores_less():
    idf = {name: 2.0 for name in ("a1", "b2", "c3", "d4")}
    spec = job(skills_required=("a1", "b2", "c3", "d4"))
    held: set[str] = set()
    scores = []
    for name in spec.skills_required:
        held.add(name)
        scores.append(skills_factor(frozenset(held), spec, idf).score)
    assert scores == sorted(scores) and scores[-1] == 100.0 and scores[0] == 25.0


# --- the seeker's side: what the recommendations rank by -------------------------------------------
def test_the_seekers_share_is_the_covered_weight_over_their_own():
    idf = {"python": 1.5, "django": 2.0, "excel": 0.7}
    w = {key: value**scoring.IDF_POWER for key, value in idf.items()}
    person = frozenset({"python", "django", "excel", "cobol"})  # cobol: no open job lists it, so it does not count
    result = skills_factor(person, job(skills_required=("python",)), idf)
    assert result.score == 100.0
    assert result.share == pytest.approx(w["python"] / (w["python"] + w["django"] + w["excel"]))
    assert skills_factor(frozenset({"python"}), job(skills_required=("python", "django")), idf).share == 1.0
    assert skills_factor(frozenset(), job(skills_required=("python",)), idf).share == 0.0


def test_a_broad_seeker_keeps_the_factor_but_ranks_the_job_by_how_much_of_them_it_uses():
    # The factor reads the job's side (a recruiter's question: does the candidate have what the job asks?);
    # the seeker-facing ranking also asks how much of the seeker the job uses.
    idf = idf_of({f"skill{i}": 5 for i in range(40)} | {"microsoft excel": 400}, 1000)
    broad = frozenset({f"skill{i}" for i in range(39)} | {"microsoft excel"})
    narrow = frozenset({"microsoft excel"})
    excel_job = job(skills_required=("microsoft excel",))
    assert skills_factor(broad, excel_job, idf).score == skills_factor(narrow, excel_job, idf).score == 100.0
    assert skills_factor(broad, excel_job, idf).share < 0.05
    specialist_job = job(id=2, skills_required=tuple(f"skill{i}" for i in range(40)))
    broad_specialist = score_match(seeker(skills=broad), specialist_job, idf=idf)
    broad_excel = score_match(seeker(skills=broad), excel_job, idf=idf)
    assert broad_excel.factors["skills"] > broad_specialist.factors["skills"]  # shown: Excel is fully covered
    assert broad_specialist.rank_score > broad_excel.rank_score  # ranked: the job that uses 39 of the 40 comes first
    assert "It uses 1 of your 40 skills." in broad_excel.reasons


def test_one_common_tool_does_not_outrank_many_specific_skills_in_the_ranking():
    # 1,000 open jobs: 400 list Excel, a handful each of the platform tools.
    idf = idf_of({"microsoft excel": 400, "kubernetes": 10, "terraform": 8, "prometheus": 6, "go": 12, "helm": 5}, 1000)
    person = seeker(skills=frozenset({"microsoft excel", "kubernetes", "terraform", "prometheus", "go"}))
    excel = score_match(person, job(id=1, skills_required=("microsoft excel",)), idf=idf)
    platform = score_match(
        person, job(id=2, skills_required=("kubernetes", "terraform", "prometheus", "go", "helm")), idf=idf
    )
    assert excel.factors["skills"] == 100.0 and platform.skills.missing == ("helm",)
    assert platform.rank_score > excel.rank_score
    expected = platform.score - DEFAULT_WEIGHTS["skills"] * platform.factors["skills"] * (
        1 - platform.skills.share**scoring.SHARE_EXPONENT
    )
    assert platform.rank_score == pytest.approx(expected, abs=0.02)


# --- location ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("person", "spec", "expected"),
    [
        (seeker(remote_ok=True, location="Lagos, Nigeria"), job(remote=True, location="Berlin, Germany"), 100.0),
        (seeker(remote_ok=False, location="Lagos, Nigeria"), job(remote=True, location="Berlin, Germany"), 80.0),
        (seeker(location="Nairobi, Kenya"), job(location="Nairobi, Kenya"), 100.0),
        (seeker(location="nairobi,  KENYA"), job(location="Nairobi, Kenya"), 100.0),
        (seeker(location="Lagos, Nigeria", preferred_locations=("Nairobi, Kenya",)), job(location="Nairobi"), 100.0),
        (seeker(location="Nairobi, Kenya"), job(location="Mombasa, Kenya"), 60.0),
        (seeker(location="Nairobi, Kenya"), job(location="Berlin, Germany"), 10.0),
        (seeker(location="Nairobi, Kenya"), job(location=""), NEUTRAL),
        (seeker(), job(location="Nairobi, Kenya"), NEUTRAL),
    ],
    ids=[
        "remote-open-to-remote",
        "remote-not-asked-for",
        "same-city",
        "same-city-any-case",
        "preferred-city",
        "same-country",
        "elsewhere",
        "job-location-unknown",
        "seeker-location-unknown",
    ],
)
def test_location(person, spec, expected):
    assert location_factor(person, spec) == expected


def test_a_location_that_names_only_the_country_is_in_that_country():
    assert location_factor(seeker(location="Kenya"), job(location="Mombasa, Kenya")) == 60.0
    assert location_factor(seeker(location="Nairobi, Kenya"), job(location="Kenya")) == 60.0
    assert location_factor(seeker(location="Germany"), job(location="Mombasa, Kenya")) == 10.0


# --- experience ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("have", "want", "expected"),
    [
        ("mid", "mid", 100.0),
        ("senior", "mid", 85.0),  # over-qualified by one level
        ("lead", "mid", 70.0),
        ("executive", "entry", 40.0),  # never below 40 when over-qualified
        ("junior", "mid", 65.0),  # one level short
        ("entry", "mid", 30.0),
        ("entry", "senior", 0.0),
        ("entry", "executive", 0.0),
    ],
)
def test_experience_levels(have, want, expected):
    assert experience_factor(seeker(experience_level=have), job(experience_level=want)) == expected


@pytest.mark.parametrize(
    ("years", "level"),
    [
        (0, "entry"),
        (1, "junior"),
        (2, "junior"),
        (3, "mid"),
        (5, "senior"),
        (8, "lead"),
        (12, "executive"),
        (30, "executive"),
    ],
)
def test_years_give_the_level_when_none_is_stated(years, level):
    assert level_for(years, "") == level
    assert experience_factor(seeker(experience_years=years), job(experience_level=level)) == 100.0


def test_a_stated_level_wins_over_years_and_an_unknown_job_level_means_mid():
    assert (
        experience_factor(seeker(experience_years=10, experience_level="junior"), job(experience_level="junior")) == 100
    )
    assert experience_factor(seeker(experience_years=3), job(experience_level="")) == 100.0
    assert experience_factor(seeker(experience_years=6), job(experience_level="mid")) == 85.0


# --- salary --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("person", "spec", "expected"),
    [
        (seeker(salary_min=60_000, salary_max=90_000), job(salary_min=50_000, salary_max=80_000), 100.0),  # overlap
        (seeker(salary_min=60_000), job(salary_min=100_000, salary_max=120_000), 100.0),  # pays more than asked
        (seeker(salary_min=60_000), job(salary_min=60_000), 100.0),  # only a minimum, equal to the ask
        (seeker(salary_min=100_000), job(salary_min=50_000, salary_max=80_000), 60.0),  # 20% short
        (seeker(salary_min=100_000), job(salary_max=90_000), 80.0),  # 10% short
        (seeker(salary_min=100_000), job(salary_min=30_000, salary_max=50_000), 0.0),  # half: nothing
        (seeker(salary_max=70_000), job(salary_max=56_000), 60.0),  # only a maximum stated: it is the ask
        (seeker(salary_min=60_000, currency="USD"), job(salary_max=80_000, currency="EUR"), NEUTRAL),
        (seeker(salary_min=60_000), job(), NEUTRAL),  # the job states no pay
        (seeker(), job(salary_min=10, salary_max=20), NEUTRAL + 20),  # the seeker asks nothing
    ],
    ids=[
        "overlap",
        "above",
        "equal",
        "short-20",
        "short-10",
        "short-50",
        "max-only",
        "currency",
        "job-unknown",
        "seeker-unknown",
    ],
)
def test_salary(person, spec, expected):
    assert salary_factor(person, spec) == pytest.approx(expected)


def test_salary_falls_steadily_with_the_shortfall():
    asks = [salary_factor(seeker(salary_min=100_000), job(salary_max=top)) for top in (100_000, 90_000, 75_000, 60_000)]
    assert asks == sorted(asks, reverse=True) and asks[0] == 100.0 and asks[-1] == pytest.approx(20.0)


# --- job type ------------------------------------------------------------------------------------
def test_job_type_uses_the_preferences():
    prefers = seeker(employment_types=("full_time", "contract"))
    assert job_type_factor(prefers, job(employment_type="contract")) == 100.0
    assert job_type_factor(prefers, job(employment_type="internship")) == 20.0
    assert job_type_factor(seeker(), job(employment_type="internship")) == NEUTRAL + 20


# --- recent activity -----------------------------------------------------------------------------
def test_recent_activity():
    assert activity_factor(seeker(), job(id=5, category="tech")) == NEUTRAL
    active = seeker(activity=Activity(categories={"tech": 1.0, "design": 0.5}, companies={7: 1.0}, jobs=frozenset({5})))
    assert activity_factor(active, job(id=5, category="sales")) == 100.0  # a job they looked at
    assert activity_factor(active, job(id=6, category="tech", company_id=7)) == 100.0
    assert activity_factor(active, job(id=6, category="tech", company_id=8)) == 80.0
    assert activity_factor(active, job(id=6, category="design", company_id=8)) == 55.0
    assert activity_factor(active, job(id=6, category="sales", company_id=7)) == 50.0
    assert activity_factor(active, job(id=6, category="sales", company_id=8)) == 30.0
    assert Activity().empty and not Activity(jobs=frozenset({1})).empty


def test_searched_skills_lift_the_jobs_that_ask_for_them():
    searcher = seeker(activity=Activity(searched={"kubernetes": 1.0, "go": 0.5}))
    assert not searcher.activity.empty
    assert activity_factor(searcher, job(skills_required=("kubernetes", "helm"))) == 50.0  # 30 + 20 × 1
    assert activity_factor(searcher, job(skills_preferred=("go",))) == 40.0  # 30 + 20 × 0.5
    assert activity_factor(searcher, job(skills_required=("kubernetes",), skills_preferred=("go",))) == 50.0  # ≤ 1
    assert activity_factor(searcher, job(skills_required=("figma",))) == 30.0
    # A short listing is looked up with the skills its text names, as the skills factor weighs them.
    assert activity_factor(searcher, job(skills_required=("helm",), skills_extracted=("kubernetes",))) == 50.0
    long_listing = job(skills_required=("helm", "terraform", "linux"), skills_extracted=("kubernetes",))
    assert activity_factor(searcher, long_listing) == 30.0


# --- the whole score -----------------------------------------------------------------------------
def test_weights_are_the_contracts_and_sum_to_one():
    assert DEFAULT_WEIGHTS == {
        "skills": 0.30,
        "location": 0.15,
        "experience": 0.20,
        "salary": 0.15,
        "job_type": 0.10,
        "recent_activity": 0.10,
    }
    assert set(FACTORS) == set(DEFAULT_WEIGHTS)
    assert sum(DEFAULT_WEIGHTS.values()) == pytest.approx(1.0)


PERSON = seeker(
    skills=frozenset({"python", "postgresql", "docker"}),
    location="Nairobi, Kenya",
    remote_ok=True,
    experience_years=4,
    salary_min=70_000,
    employment_types=("full_time",),
    activity=Activity(categories={"tech": 1.0}),
)
SPEC = job(
    id=9,
    skills_required=("python", "django", "postgresql", "kubernetes"),
    skills_preferred=("docker", "redis", "celery", "terraform", "aws", "go"),
    location="Mombasa, Kenya",
    experience_level="senior",
    salary_min=60_000,
    salary_max=90_000,
    employment_type="full_time",
    category="tech",
)
IDF = {"python": 1.2, "django": 2.0, "postgresql": 1.8, "kubernetes": 3.0, "docker": 1.5}


def test_total_is_the_weighted_sum_of_the_factors():
    match = score_match(PERSON, SPEC, idf=IDF, partial_of=partial_of)
    assert set(match.factors) == set(FACTORS)
    assert all(0 <= value <= 100 for value in match.factors.values())
    assert match.score == pytest.approx(sum(DEFAULT_WEIGHTS[n] * match.factors[n] for n in FACTORS), abs=0.01)
    assert match.factors["location"] == 60.0 and match.factors["experience"] == 65.0
    assert match.factors["salary"] == 100.0 and match.factors["job_type"] == 100.0
    assert match.factors["recent_activity"] == 80.0
    assert match.factors["skills"] == skills_factor(PERSON.skills, SPEC, IDF, partial_of).score


def test_other_weights_are_used_when_given():
    only_skills = {name: 0.0 for name in FACTORS} | {"skills": 1.0}
    match = score_match(PERSON, SPEC, idf=IDF, weights=only_skills, partial_of=partial_of)
    assert match.score == pytest.approx(match.factors["skills"], abs=0.01)


def test_a_perfect_match_scores_near_100_and_a_poor_one_low():
    perfect = seeker(
        skills=frozenset({"kubernetes", "terraform"}),
        location="Berlin, Germany",
        experience_level="senior",
        salary_min=80_000,
        employment_types=("full_time",),
        activity=Activity(jobs=frozenset({3})),
    )
    spec = job(
        id=3,
        skills_required=("kubernetes", "terraform"),
        location="Berlin, Germany",
        experience_level="senior",
        salary_max=90_000,
    )
    good = score_match(perfect, spec, idf={"kubernetes": CERTAIN, "terraform": CERTAIN})
    assert good.score == pytest.approx(100.0)
    poor = score_match(
        seeker(skills=frozenset({"figma"}), location="Lima, Peru", experience_level="entry", salary_min=200_000),
        spec,
        idf={"kubernetes": CERTAIN, "terraform": CERTAIN},
    )
    assert poor.score < 25


# --- reasons -------------------------------------------------------------------------------------
def test_reasons_agree_with_the_skill_lists():
    match = score_match(PERSON, SPEC, idf=IDF, partial_of=partial_of)
    skills = match.skills
    assert set(skills.matched) == {"python", "postgresql", "docker"}
    assert "django" in skills.partial  # Python partly covers Django (taxonomy child)
    asked = len(SPEC.skills_required) + len(SPEC.skills_preferred)
    assert len(skills.matched) + len(skills.partial) + len(skills.missing) == asked
    assert set(skills.matched) | set(skills.partial) | set(skills.missing) == set(SPEC.skills_required) | set(
        SPEC.skills_preferred
    )
    assert not (set(skills.matched) & set(skills.missing))
    reasons = " ".join(match.reasons)
    assert f"You have {len(skills.matched)} of the {asked} skills this job asks for." in match.reasons
    partial_line = next(r for r in match.reasons if r.startswith("Related experience counts partly for: "))
    assert partial_line.removeprefix("Related experience counts partly for: ").rstrip(".").split(", ") == list(
        skills.partial
    )
    missing_line = next(r for r in match.reasons if r.startswith("Missing: "))
    named = missing_line.removeprefix("Missing: ").rstrip(".…").split(", ")
    assert named == list(skills.missing[:5])
    assert missing_line.endswith("….") == (len(skills.missing) > 5)
    for skill in skills.matched:
        assert not re.search(rf"\b{re.escape(skill)}\b", missing_line)
    assert "The job is in Mombasa, Kenya" not in reasons  # same country: neither praised nor blamed
    assert "Full time is a type of work you prefer." in match.reasons
    assert "The pay meets what you asked for." in match.reasons
    assert "It is close to what you looked at recently." in match.reasons


def test_reasons_without_skills_in_common_name_every_missing_one():
    match = score_match(seeker(), job(skills_required=("rust", "go")), idf={})
    assert match.skills.matched == () and match.skills.missing == ("rust", "go")
    assert not any(r.startswith("You have") for r in match.reasons)
    assert "Missing: rust, go." in match.reasons


def test_reasons_for_location_experience_and_pay():
    remote = score_match(seeker(remote_ok=True), job(remote=True), idf={})
    assert "The job is remote. You are open to remote work." in remote.reasons
    here = score_match(seeker(location="Nairobi, Kenya"), job(location="Nairobi, Kenya"), idf={})
    assert "The job is in Nairobi, Kenya, where you want to work." in here.reasons
    away = score_match(seeker(location="Nairobi, Kenya"), job(location="Berlin, Germany"), idf={})
    assert "The job is in Berlin, Germany, away from where you want to work." in away.reasons
    fits = score_match(seeker(experience_level="mid"), job(experience_level="mid"), idf={})
    assert "Your experience fits the mid level." in fits.reasons
    short = score_match(seeker(experience_level="entry"), job(experience_level="senior"), idf={})
    assert "The senior level is a stretch from your experience." in short.reasons
    underpaid = score_match(seeker(salary_min=100_000), job(salary_max=60_000), idf={})
    assert "The pay is below what you asked for." in underpaid.reasons


def test_an_over_qualified_seeker_is_not_told_the_level_is_a_stretch():
    match = score_match(seeker(experience_level="executive"), job(experience_level="junior"), idf={})
    assert match.factors["experience"] < 60
    assert not any("stretch" in reason for reason in match.reasons)
    assert "You are more experienced than the junior level asks." in match.reasons
