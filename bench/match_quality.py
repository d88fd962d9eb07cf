"""Match quality on O*NET: does a candidate holding 60% of an occupation's tools find that occupation?

Not a test: it prints figures and never fails. See bench/README.md.

    .venv/bin/python bench/match_quality.py [--data ../shared/data]

Every O*NET 29.2 occupation with at least 5 technology skills becomes a job (its title; its tools normalized
through the project's taxonomy; its experience level from the Job Zone in one variant) and a synthetic
candidate holding a random 60% of those skills (random.Random(42)). Each candidate is ranked against all jobs
by the project's vectorized engine (features.load_context / seeker_batch, engine.factor_matrices /
total_score, the code the stored recommendations use) with the non-skill factors made equal for every job
(same city, no salary, no type preference, no activity, one experience level), so the ranking measures the
skills factor. Baselines in the same run: plain share of the job's skills the candidate has, plain cosine and
IDF-weighted cosine. Figures: hit@1 and hit@10 of the source occupation, and the share of the source's O*NET
"Related Occupations" among the 9 best other jobs. A second table ranks the same candidates against short
listings: each occupation lists 2 of its tools and names the rest in a description, which the app's extractor
reads (Job.skills_extracted), against the same listings with the description ignored.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from scipy import sparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# matcher.features sits beside the reads of the models, so the app's modules need Django set up; nothing here
# connects to the database or Redis.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kazi_bench_unused")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")

import django  # noqa: E402

django.setup()

from marketplace.skill_vocabulary import canonical, normalize_skills  # noqa: E402
from marketplace.skills import text_skills  # noqa: E402
from matcher.engine import match_matrices, ranking_score, top_k, total_score  # noqa: E402
from matcher.features import ActivityRows, load_context, seeker_batch  # noqa: E402
from matcher.scoring import IDF_POWER  # noqa: E402
from matcher.skill_space import blend_similarity  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
ONET_DIR = "onet-29.2"
MIN_SKILLS = 5
SHARE_HELD = 0.6
SEED = 42
TOP = 10
CITY = "Nairobi, Kenya"
ZONE_LEVELS = {1: "entry", 2: "junior", 3: "mid", 4: "senior", 5: "lead"}
TARGET_HIT1 = 0.97
TARGET_HIT10 = 1.0
DISTRACTORS = 200
COMMON_TOOLS = 40


# --- plain records with the fields of Job and JobSeekerProfile that matcher.features reads -------------
@dataclass
class OnetJob:
    pk: int
    code: str
    title: str
    skill_names: list[str]
    zone_level: str = "mid"
    skills_preferred: list[str] = field(default_factory=list)
    skills_extracted: list[str] = field(default_factory=list)  # what the title names beyond the list, as the app
    location: str = CITY
    remote: bool = False
    experience_level: str = "mid"
    salary_min: int | None = None
    salary_max: int | None = None
    currency: str = "USD"
    employment_type: str = "full_time"
    category: str = ""
    company_id: int = 0


@dataclass
class Candidate:
    user_id: int
    skill_names: list[str]
    experience_level: str = "mid"
    location: str = CITY
    preferred_locations: list[str] = field(default_factory=list)
    remote: bool = False
    experience_years: int = 0
    desired_salary_min: int | None = None
    desired_salary_max: int | None = None
    currency: str = "USD"
    preferred_employment_types: list[str] = field(default_factory=list)


# --- O*NET ------------------------------------------------------------------------------------------
def find_onet(data: Path) -> Path | None:
    """The O*NET folder: ``data/onet-29.2`` or ``data`` itself; None when neither holds the text files."""
    for folder in (data / ONET_DIR, data):
        if (folder / "Technology Skills.txt").is_file():
            return folder
    return None


def onet_folder(data: Path) -> Path:
    folder = find_onet(data)
    if folder is not None:
        return folder
    sys.exit(
        f"O*NET data not found under {data} (looked for {ONET_DIR}/Technology Skills.txt).\n"
        "This benchmark needs the O*NET 29.2 text files (Occupation Data, Technology Skills, Related Occupations,\n"
        "Job Zones), which are not part of the repository: download the database in text format from\n"
        "https://www.onetcenter.org/database.html and pass its folder with --data PATH."
    )


def read_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def keys_of(names: list[str]) -> list[str]:
    """Canonical names through the taxonomy, as the lower-case keys stored in skill_names; de-duplicated."""
    seen: set[str] = set()
    keys = []
    for name in normalize_skills(names):
        key = name.lower()
        if key not in seen:
            seen.add(key)
            keys.append(key)
    return keys


def load_onet(folder: Path) -> tuple[list[OnetJob], dict[str, dict[str, str]]]:
    titles = {row["O*NET-SOC Code"]: row["Title"] for row in read_tsv(folder / "Occupation Data.txt")}
    tools: dict[str, list[str]] = defaultdict(list)
    for row in read_tsv(folder / "Technology Skills.txt"):
        if row["Example"] not in tools[row["O*NET-SOC Code"]]:
            tools[row["O*NET-SOC Code"]].append(row["Example"])
    zones = {row["O*NET-SOC Code"]: int(row["Job Zone"]) for row in read_tsv(folder / "Job Zones.txt")}
    related: dict[str, dict[str, str]] = defaultdict(dict)
    for row in read_tsv(folder / "Related Occupations.txt"):
        related[row["O*NET-SOC Code"]][row["Related O*NET-SOC Code"]] = row["Relatedness Tier"]
    jobs = []
    for code in sorted(tools):
        if len(tools[code]) < MIN_SKILLS:
            continue
        jobs.append(
            OnetJob(
                pk=len(jobs) + 1,
                code=code,
                title=titles.get(code, code),
                skill_names=keys_of(tools[code]),
                zone_level=ZONE_LEVELS.get(zones.get(code, 3), "mid"),
            )
        )
    return jobs, related


def make_distractors(jobs: list[OnetJob], count: int) -> list[OnetJob]:
    """Jobs of one to four of the most common tools ("Microsoft Excel", "Microsoft Outlook", ...): the short jobs a
    job-side share favours. No candidate comes from them; they only compete for the top places."""
    frequency: dict[str, int] = defaultdict(int)
    for job in jobs:
        for key in job.skill_names:
            frequency[key] += 1
    common = sorted(frequency, key=lambda key: (-frequency[key], key))[:COMMON_TOOLS]
    rng = random.Random(SEED + 1)
    distractors = []
    for index in range(count):  # their titles name their own tools only: nothing is extracted beyond the list
        keys = rng.sample(common, rng.randint(1, 4))
        distractors.append(
            OnetJob(
                pk=len(jobs) + index + 1,
                code=f"distractor-{index}",
                title="Tools: " + ", ".join(keys),
                skill_names=keys,
            )
        )
    return distractors


SHORT_LISTED = 2


def short_listings(jobs: list[OnetJob], *, read_text: bool) -> list[OnetJob]:
    """The occupations as a recruiter in a hurry posts them: SHORT_LISTED tools listed, every tool named in the
    description (read through the app's extractor, or ignored as before skills were extracted from text)."""
    short = []
    for job in jobs:
        listed, rest = job.skill_names[:SHORT_LISTED], job.skill_names[SHORT_LISTED:]
        description = "You will use " + ", ".join(canonical(key) or key for key in rest) + "."
        found = text_skills(title=job.title, description=description, listed=listed) if read_text else []
        short.append(replace(job, skill_names=listed, skills_extracted=found))
    return short


def make_candidates(jobs: list[OnetJob]) -> list[Candidate]:
    rng = random.Random(SEED)
    return [
        Candidate(
            user_id=job.pk, skill_names=rng.sample(job.skill_names, max(1, round(SHARE_HELD * len(job.skill_names))))
        )
        for job in jobs
    ]


# --- rankers: a (candidates x jobs) score matrix each ----------------------------------------------
@dataclass
class KaziScores:
    ranking: np.ndarray  # engine.ranking_score: what the stored recommendations are ordered by
    total: np.ndarray  # engine.total_score: the score shown (weighted sum of the shown factors)
    skills: np.ndarray  # the skills factor shown
    before: np.ndarray  # the total with the skills factor before issue 14 (covered share × confidence)
    centroid: np.ndarray  # the jobs' skill centroids in the learned space (features.JobTable.centroid)


def kazi_scores(jobs: list[OnetJob], candidates: list[Candidate], *, zone_levels: bool = False) -> KaziScores:
    for job in jobs:
        job.experience_level = job.zone_level if zone_levels else "mid"
    for candidate, job in zip(candidates, jobs, strict=False):
        candidate.experience_level = job.zone_level if zone_levels else "mid"
    context = load_context(jobs, {key for candidate in candidates for key in candidate.skill_names})
    batch = seeker_batch(candidates, context, ActivityRows())
    factors, share = match_matrices(batch, context.jobs)
    # The factor before issue 14: 100 × covered share × (1 - exp(-covered / 2)) with weights of the full IDF (the
    # jobs here list no nice-to-have skills, so a job's weights are sqrt(IDF) ** 2 = IDF of its skills).
    idf_weights = context.jobs.weights.power(1.0 / IDF_POWER).T.tocsr()
    covered = (batch.credit @ idf_weights).toarray()
    with np.errstate(divide="ignore", invalid="ignore"):
        old_skills = 100.0 * covered / np.asarray(idf_weights.sum(axis=0)).ravel()[None, :]
    old_skills *= 1.0 - np.exp(-covered / 2.0)
    before = {**factors, "skills": old_skills}
    return KaziScores(
        ranking_score(factors, share),
        total_score(factors),
        factors["skills"],
        total_score(before),
        context.jobs.centroid,
    )


def binary_matrices(jobs, candidates) -> tuple[sparse.csr_matrix, sparse.csr_matrix, np.ndarray]:
    vocabulary: dict[str, int] = {}

    def matrix(lists):
        rows, cols = [], []
        for row, keys in enumerate(lists):
            for key in keys:
                rows.append(row), cols.append(vocabulary.setdefault(key, len(vocabulary)))
        return rows, cols

    job_cells = matrix([job.skill_names for job in jobs])
    candidate_cells = matrix([candidate.skill_names for candidate in candidates])
    width = len(vocabulary)
    job_matrix = sparse.csr_matrix((np.ones(len(job_cells[0])), job_cells), shape=(len(jobs), width))
    held = sparse.csr_matrix((np.ones(len(candidate_cells[0])), candidate_cells), shape=(len(candidates), width))
    document_frequency = np.asarray(job_matrix.sum(axis=0)).ravel()
    idf = np.log((len(jobs) + 1) / (document_frequency + 1)) + 0.5
    return held, job_matrix, idf


def share_scores(held, job_matrix) -> np.ndarray:
    overlap = (held @ job_matrix.T).toarray()
    return overlap / np.asarray(job_matrix.sum(axis=1)).ravel()[None, :]


def cosine_scores(held, job_matrix, idf=None) -> np.ndarray:
    if idf is not None:
        held, job_matrix = held.multiply(idf[None, :]).tocsr(), job_matrix.multiply(idf[None, :]).tocsr()
    overlap = (held @ job_matrix.T).toarray()
    held_norm = np.sqrt(np.asarray(held.multiply(held).sum(axis=1)).ravel())
    job_norm = np.sqrt(np.asarray(job_matrix.multiply(job_matrix).sum(axis=1)).ravel())
    return overlap / np.outer(held_norm, job_norm)


# --- figures ----------------------------------------------------------------------------------------
@dataclass
class Figures:
    hit1: float
    hit10: float
    hit1_optimistic: float
    hit10_optimistic: float
    related: float
    related_primary: float
    top10_related: float
    median_rank: float
    ranks: np.ndarray


def evaluate(scores: np.ndarray, jobs: list[OnetJob], related: dict[str, dict[str, str]]) -> Figures:
    """Source rank counted pessimistically (every other job with an equal score ranks above); optimistic beside it."""
    count = scores.shape[0]
    source = scores[np.arange(count), np.arange(count)][:, None]
    above = (scores > source).sum(axis=1)
    equal = (scores == source).sum(axis=1) - 1
    ranks = 1 + above + equal
    best = top_k(scores, TOP + 1)
    shares, primary_shares, top_shares = [], [], []
    for row, job in enumerate(jobs[:count]):
        others = [jobs[column].code for column in best[row] if column != row][: TOP - 1]
        tiers = related.get(job.code, {})
        shares.append(sum(code in tiers for code in others) / (TOP - 1))
        primary_shares.append(sum(tiers.get(code, "").startswith("Primary") for code in others) / (TOP - 1))
        top_shares.append(sum(column == row or jobs[column].code in tiers for column in best[row][:TOP]) / TOP)
    return Figures(
        hit1=float(np.mean(ranks <= 1)),
        hit10=float(np.mean(ranks <= TOP)),
        hit1_optimistic=float(np.mean(above + 1 <= 1)),
        hit10_optimistic=float(np.mean(above + 1 <= TOP)),
        related=float(np.mean(shares)),
        related_primary=float(np.mean(primary_shares)),
        top10_related=float(np.mean(top_shares)),
        median_rank=float(np.median(ranks)),
        ranks=ranks,
    )


def similar_share(similarity: np.ndarray, jobs: list[OnetJob], related: dict[str, dict[str, str]], count: int) -> float:
    """Share of each occupation's 9 most similar other jobs that are among its O*NET related occupations."""
    similarity = similarity[:count].copy()
    similarity[np.arange(count), np.arange(count)] = -np.inf
    best = top_k(similarity, TOP - 1)
    return float(
        np.mean([sum(jobs[c].code in related.get(jobs[r].code, {}) for c in best[r]) / (TOP - 1) for r in range(count)])
    )


def similar_jobs_table(kazi: KaziScores, jobs, related, job_matrix, idf, count: int) -> None:
    """Similar jobs (GET /api/ai/jobs/{id}/similar/, selectors.similar_jobs) measured the same way."""
    exact = cosine_scores(job_matrix, job_matrix, idf)
    closeness = np.maximum(kazi.centroid @ kazi.centroid.T, 0.0)
    print("\nSimilar jobs: share of each occupation's 9 most similar jobs that are O*NET related occupations")
    for name, matrix in (
        ("Kazi similar jobs (skill_space.blend_similarity)", blend_similarity(exact, closeness)),
        ("exact skills only: cosine (IDF-weighted)", exact),
        ("learned closeness only", closeness),
    ):
        print(f"  {name:<52} {similar_share(matrix, jobs, related, count):.3f}")


def sampling_ceiling(held_matrix, job_matrix, count: int) -> tuple[float, float]:
    """hit@10 that a ranker seeing only skills can reach for sure, and with every tie broken its way.

    The candidates are a random subset of the source's skills, so a job listing all of a candidate's skills is
    likelier to be the source the fewer skills it lists (1 / C(n, k)). A source with 10 or more other jobs at least
    that likely (listing all the candidate's skills and no more skills than the source) is outside the top 10 of
    the best possible ranker unless ties go its way; with 10 or more strictly likelier (fewer skills), always."""
    overlap = (held_matrix @ job_matrix.T).toarray()[:count]
    holds_all = overlap >= np.asarray(held_matrix.sum(axis=1)).ravel()[:count, None] - 1e-9
    sizes = np.asarray(job_matrix.sum(axis=1)).ravel()
    source_size = sizes[:count][:, None]
    holds_all[np.arange(count), np.arange(count)] = False
    as_likely = (holds_all & (sizes[None, :] <= source_size)).sum(axis=1)
    likelier = (holds_all & (sizes[None, :] < source_size)).sum(axis=1)
    return float(np.mean(as_likely < TOP)), float(np.mean(likelier < TOP))


def ceilings(jobs: list[OnetJob], related: dict[str, dict[str, str]]) -> tuple[float, float]:
    """The best possible related share (min(9, related jobs present) / 9) and the share by chance."""
    present = {job.code for job in jobs}
    best, chance = [], []
    for job in jobs:
        available = sum(code in present and code != job.code for code in related.get(job.code, {}))
        best.append(min(TOP - 1, available) / (TOP - 1))
        chance.append(available / (len(jobs) - 1))
    return float(np.mean(best)), float(np.mean(chance))


def print_table(rows: list[tuple[str, Figures]]) -> None:
    print(
        f"\n{'ranker':<52} {'hit@1':>6} {'hit@10':>7} {'related@9':>10} {'primary@9':>10} {'top10 rel':>10}"
        f" {'median rank':>12}"
        f"   {'(ties optimistic: hit@1 / hit@10)'}"
    )
    for name, f in rows:
        print(
            f"{name:<52} {f.hit1:>6.3f} {f.hit10:>7.3f} {f.related:>10.3f} {f.related_primary:>10.3f}"
            f" {f.top10_related:>10.3f}"
            f" {f.median_rank:>12.0f}   ({f.hit1_optimistic:.3f} / {f.hit10_optimistic:.3f})"
        )


def by_size(figures: Figures, jobs: list[OnetJob]) -> None:
    buckets = ((5, 9), (10, 19), (20, 49), (50, 99), (100, 10_000))
    print("\nKazi ranking by the source's number of skills (after normalization):")
    print(f"{'skills':>10} {'jobs':>6} {'hit@1':>7} {'hit@10':>7} {'median rank':>12}")
    sizes = np.array([len(job.skill_names) for job in jobs])
    for low, high in buckets:
        mask = (sizes >= low) & (sizes <= high)
        if mask.any():
            ranks = figures.ranks[mask]
            label = f"{low}-{high}" if high < 10_000 else f"{low}+"
            print(
                f"{label:>10} {int(mask.sum()):>6} {np.mean(ranks <= 1):>7.3f} {np.mean(ranks <= TOP):>7.3f}"
                f" {np.median(ranks):>12.0f}"
            )


def misses(scores, skills, figures: Figures, jobs: list[OnetJob], candidates, limit: int) -> None:
    missed = [row for row in np.argsort(-figures.ranks, kind="stable") if figures.ranks[row] > TOP]
    print(f"\nKazi ranking: {len(missed)} sources outside the top {TOP}; the {min(limit, len(missed))} ranked lowest:")
    for row in missed[:limit]:
        job = jobs[row]
        held = set(candidates[row].skill_names)
        # Under the bench's own sampling (a random subset of the occupation's skills), every job that lists all the
        # candidate's skills and no more skills than the source is at least as likely to be the source.
        as_likely = sum(
            1
            for other in jobs
            if other is not job and held <= set(other.skill_names) and len(other.skill_names) <= len(job.skill_names)
        )
        print(
            f"  {job.title[:50]:<50} rank {figures.ranks[row]:>4}  skills factor {skills[row, row]:6.2f}"
            f"  ({len(held)}/{len(job.skill_names)} skills held; {as_likely} other jobs list all {len(held)} and at"
            f" most {len(job.skill_names)} skills)"
        )
        for column in top_k(scores[row : row + 1], 3)[0]:
            other = jobs[column]
            shared = len(held & set(other.skill_names))
            print(
                f"      above: {other.title[:44]:<44} skills factor {skills[row, column]:6.2f}"
                f"  shares {shared} of its {len(other.skill_names)} skills"
            )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding onet-29.2/ (or that folder)")
    parser.add_argument("--show-misses", type=int, default=8, help="examples of sources outside the top 10")
    parser.add_argument("--distractors", type=int, default=DISTRACTORS, help="extra jobs of 1-4 common tools (0: none)")
    args = parser.parse_args(argv)

    folder = onet_folder(args.data)
    started = time.perf_counter()
    occupations, related = load_onet(folder)
    candidates = make_candidates(occupations)
    jobs = occupations + make_distractors(occupations, args.distractors)
    for job in jobs:  # O*NET has no descriptions: the title is the text
        job.skills_extracted = text_skills(title=job.title, description="", listed=job.skill_names)
    loaded = time.perf_counter() - started
    sizes = [len(job.skill_names) for job in occupations]
    held = [len(candidate.skill_names) for candidate in candidates]
    print(f"O*NET from {folder}")
    print(
        f"{len(occupations)} occupations with >= {MIN_SKILLS} technology skills; skills per job after normalization: "
        f"median {statistics.median(sizes):.0f}, min {min(sizes)}, max {max(sizes)}; "
        f"per candidate ({SHARE_HELD:.0%}, seed {SEED}): median {statistics.median(held):.0f}; "
        f"{len({key for job in occupations for key in job.skill_names})} distinct skills (loaded in {loaded:.1f} s); "
        f"{args.distractors} distractor jobs of 1-4 of the {COMMON_TOOLS} most common tools"
    )

    started = time.perf_counter()
    kazi = kazi_scores(jobs, candidates)
    kazi_seconds = time.perf_counter() - started
    kazi_zone = kazi_scores(jobs, candidates, zone_levels=True)
    held_matrix, job_matrix, idf = binary_matrices(jobs, candidates)
    rows = [
        ("Kazi ranking (engine.ranking_score, the stored order)", evaluate(kazi.ranking, jobs, related)),
        ("Kazi ranking, levels from Job Zone", evaluate(kazi_zone.ranking, jobs, related)),
        ("Kazi shown score (job-side coverage) as the order", evaluate(kazi.total, jobs, related)),
        ("before issue 14: coverage x confidence", evaluate(kazi.before, jobs, related)),
        ("before issue 14, levels from Job Zone", evaluate(kazi_zone.before, jobs, related)),
        ("baseline: share of the job's skills held", evaluate(share_scores(held_matrix, job_matrix), jobs, related)),
        ("baseline: cosine (binary)", evaluate(cosine_scores(held_matrix, job_matrix), jobs, related)),
        ("baseline: cosine (IDF-weighted)", evaluate(cosine_scores(held_matrix, job_matrix, idf), jobs, related)),
    ]
    best, chance = ceilings(occupations, related)
    print(f"engine: {len(candidates)} x {len(jobs)} pairs scored in {kazi_seconds:.2f} s (incl. building its inputs)")
    print_table(rows)
    print(
        f"\nrelated@9 = share of the source's O*NET Related Occupations (any tier; primary@9: Primary-Short/Long) "
        f"among the 9 best other jobs;\ntop10 rel = share of the top 10 that is the source or one of its related "
        f"occupations.\n  ceiling of related@9 (related occupations present, at most 9): {best:.3f}; "
        f"by chance: {chance:.3f}. Ranks count ties pessimistically. The related-occupations table only measures."
    )
    kazi_figures = rows[0][1]
    similar_jobs_table(kazi, jobs, related, job_matrix, idf, len(occupations))
    by_size(kazi_figures, occupations)
    for name, target, value in (
        ("hit@1", TARGET_HIT1, kazi_figures.hit1),
        ("hit@10", TARGET_HIT10, kazi_figures.hit10),
    ):
        verdict = "meets" if value >= target else "misses"
        print(f"target {name} >= {target}: Kazi ranking {value:.3f} {verdict} it")
    sure, lucky = sampling_ceiling(held_matrix, job_matrix, len(occupations))
    print(
        f"  hit@10 that any ranker seeing only the skills can reach under this sampling: {sure:.3f}"
        f" (every tie broken its way: {lucky:.3f})"
    )
    distractors = jobs[len(occupations) :]
    short_rows = []
    for read_text, name in ((False, "listed tools only"), (True, "listed + named in the description")):
        short = short_listings(occupations, read_text=read_text) + distractors
        short_rows.append((f"short listings ({SHORT_LISTED} tools): {name}", kazi_scores(short, candidates).ranking))
    print(
        f"\nShort listings: each occupation lists {SHORT_LISTED} of its tools and names the rest in its description; "
        "the same candidates (60% of all its tools)."
    )
    print_table([(name, evaluate(scores, jobs, related)) for name, scores in short_rows])
    if args.show_misses:
        misses(kazi.ranking, kazi.skills, kazi_figures, jobs, candidates, args.show_misses)


if __name__ == "__main__":
    main()
