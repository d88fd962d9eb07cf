"""Stored-recommendations rebuild benchmark: the vectorized rebuild against pair-by-pair pure Python, and the
nightly rebuild in chunks shared by one and by two Celery worker processes.

Not a test: it prints figures and never fails on time. See bench/README.md.

Scale-out (issue 14, part 7), one command (PostgreSQL and Redis must be running; DATABASE_URL and REDIS_URL
must be set; the data goes to a database of its own named after DATABASE_URL's with `_bench` added):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kazi REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/recommendations.py --scale-out
    ... --scale-out --sizes 2000x5000      # a quick run

For each size (default 10,000 x 20,000 then 100,000 x 20,000 seekers x open jobs) it generates the data, then
for 1 and then 2 worker processes (`celery -A config worker -P solo`: one process each, fresh for every run,
reserving one task at a time as CELERY_WORKER_PREFETCH_MULTIPLIER says) empties the recommendations table,
queues the nightly task `matcher.tasks.rebuild_recommendations` (it cuts the seekers into chunks of
--chunk-seekers and queues one task each) and waits for the run to finish. It prints wall time (queueing the
task to the run's end), each worker's peak RSS (the kernel's high-water mark of the process), pairs scored per
second, the speed-up of 2 workers over 1 (target >= 1.7x on 2 cores), how many chunks each worker took, and a
checksum of the stored (seeker, job, rank, score, factors) rows, which must be the same for every run (and for
the one-shot `recommendations_rebuild()` with --one-shot). Each run is bounded by --run-timeout.

The single-process comparison with pair-by-pair Python (issue 4):

    .venv/bin/python bench/recommendations.py [--seekers 10000 --jobs 20000]

In its database (created and migrated if missing) it generates open jobs and job seekers
with realistic skills (drawn from O*NET occupations when ../shared/data is there, else from the shipped
taxonomy), locations, levels, salaries, employment types and some recent applications and bookmarks, then
  1. times `recommendations_rebuild()`: wall time, peak memory (the process's peak RSS, reset just before),
     pairs scored per second;
  2. scores a sample of seekers against every open job pair by pair with matcher.scoring.score_match (the
     baseline) for about --baseline-seconds, and prints both rates and their ratio;
  3. checks that the baseline's top 50 scores of those seekers equal the stored ones.
The data stays in the database for the next run (reused when the counts match) unless --drop is given.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tests.e2e.servers import CeleryWorker  # noqa: E402  (imports no Django)

# match_quality sets Django up when imported, so it is imported once the environment names the bench database.
DEFAULT_DATA = ROOT.parent / "shared" / "data"
EMAIL_DOMAIN = "rec.bench"
TARGET_SECONDS, TARGET_BYTES, TARGET_RATIO = 60.0, 2 * 1024**3, 50.0
# fmt: off
PLACES = {
    "Kenya": ["Nairobi", "Mombasa", "Kisumu", "Nakuru"], "Nigeria": ["Lagos", "Abuja", "Ibadan"],
    "Ghana": ["Accra", "Kumasi"], "South Africa": ["Johannesburg", "Cape Town", "Durban"],
    "Rwanda": ["Kigali"], "Egypt": ["Cairo", "Alexandria"], "Germany": ["Berlin", "Munich", "Hamburg"],
    "United Kingdom": ["London", "Manchester", "Edinburgh"], "France": ["Paris", "Lyon"],
    "Netherlands": ["Amsterdam", "Rotterdam"], "United States": ["New York", "San Francisco", "Austin", "Chicago"],
    "Canada": ["Toronto", "Vancouver"], "India": ["Bangalore", "Pune", "Hyderabad"], "Brazil": ["São Paulo"],
}
MAJOR_GROUPS = {
    "11": "management", "13": "business-finance", "15": "computer-math", "17": "engineering", "19": "science",
    "21": "social-service", "23": "legal", "25": "education", "27": "arts-media", "29": "healthcare",
    "31": "healthcare-support", "33": "protective-service", "35": "food-service", "37": "cleaning-maintenance",
    "39": "personal-care", "41": "sales", "43": "office-admin", "45": "farming", "47": "construction",
    "49": "repair", "51": "production", "53": "transportation",
}
# fmt: on
LEVELS = ("entry", "junior", "mid", "senior", "lead", "executive")
ZONE_LEVEL = {1: 0, 2: 1, 3: 2, 4: 3, 5: 4}
BASE_PAY = {"entry": 30_000, "junior": 45_000, "mid": 65_000, "senior": 90_000, "lead": 120_000, "executive": 160_000}
CURRENCIES = {"USD": 1.0, "EUR": 0.9, "GBP": 0.8, "KES": 130.0}
CURRENCY_WEIGHTS = (60, 20, 10, 10)
TYPES = ("full_time", "part_time", "contract", "internship", "temporary")
TYPE_WEIGHTS = (70, 10, 12, 4, 4)


@dataclass
class Occupation:
    title: str
    skills: list[str]  # canonical names
    level: int  # index into LEVELS
    category: str


# --- the environment and the database -------------------------------------------------------------
def bench_database_url(given: str | None) -> str:
    """--database-url, else DATABASE_URL's server with `_bench` added to the database name (never its own
    database: the bench flushes the one it uses)."""
    if given:
        return given
    url = os.environ.get("DATABASE_URL")
    if not url:
        sys.exit(
            "DATABASE_URL is not set: point it at the PostgreSQL server to use, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/kazi REDIS_URL=redis://127.0.0.1:6379/0 "
            ".venv/bin/python bench/recommendations.py --scale-out\n"
            "(the bench creates and uses a database of its own, named after that one with _bench added)"
        )
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/") or "kazi"
    if "bench" not in name:
        name += "_bench"
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def set_environment(args) -> None:
    redis_url = os.environ.get("REDIS_URL")
    if args.scale_out and not redis_url:
        sys.exit("REDIS_URL is not set: the Celery workers of --scale-out take their tasks from that Redis")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=args.database_url,
        REDIS_URL=redis_url or "redis://127.0.0.1:6379/0",
        DJANGO_DEBUG="1",
        KAZI_CACHE_PREFIX=f"kazi-bench-rec-{os.getpid()}",
        KAZI_LOG_LEVEL="WARNING",
        # A queue of this run's own: no other worker on the same Redis takes its chunks.
        KAZI_CELERY_QUEUE=f"kazi-bench-rebuild-{os.getpid()}",
        KAZI_REBUILD_CHUNK_SEEKERS=str(args.chunk_seekers),
        KAZI_DB_POOL_SIZE="0",
    )


def admin_url(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/postgres")), parts.path.lstrip("/")


def prepare_database(url: str) -> None:
    import psycopg

    admin, name = admin_url(url)
    if "bench" not in name:
        sys.exit(f"refusing to use database {name!r}: its name must contain 'bench' (see --database-url)")
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=os.environ, check=True
    )
    print(f"database {name}: migrated in {time.perf_counter() - started:.1f} s")


def drop_database(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    admin, name = admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"dropped database {name}")


# --- skill sets -------------------------------------------------------------------------------------
def onet_occupations(folder: Path) -> list[Occupation]:
    from match_quality import read_tsv

    from marketplace.skill_vocabulary import normalize_skills

    titles = {row["O*NET-SOC Code"]: row["Title"] for row in read_tsv(folder / "Occupation Data.txt")}
    zones = {row["O*NET-SOC Code"]: int(row["Job Zone"]) for row in read_tsv(folder / "Job Zones.txt")}
    tools: dict[str, list[str]] = {}
    for row in read_tsv(folder / "Technology Skills.txt"):
        tools.setdefault(row["O*NET-SOC Code"], []).append(row["Example"])
    occupations = []
    for code, names in sorted(tools.items()):
        skills = normalize_skills(names)
        if len(skills) >= 5:
            occupations.append(
                Occupation(
                    titles.get(code, code), skills, ZONE_LEVEL.get(zones.get(code, 3), 2), MAJOR_GROUPS[code[:2]]
                )
            )
    return occupations


def taxonomy_occupations() -> list[Occupation]:
    """Without O*NET: one pseudo-occupation per taxonomy category of at least 5 skills."""
    from django.utils.text import slugify

    from marketplace.skill_vocabulary import skill_records

    by_category: dict[str, list[str]] = {}
    for skill in skill_records():
        by_category.setdefault(skill.get("category") or "other", []).append(skill["name"])
    rng = random.Random(1)
    return [
        Occupation(f"{category[:150]} specialist", sorted(names)[:200], rng.randrange(5), slugify(category)[:50])
        for category, names in sorted(by_category.items())
        if len(names) >= 5
    ]


# --- generation -------------------------------------------------------------------------------------
def place(rng: random.Random) -> str:
    country = rng.choice(list(PLACES))
    return f"{rng.choice(PLACES[country])}, {country}"


def pay(rng: random.Random, level: int, currency: str) -> int:
    return int(BASE_PAY[LEVELS[level]] * CURRENCIES[currency] * rng.uniform(0.7, 1.4)) // 1000 * 1000


def jitter_level(rng: random.Random, level: int) -> int:
    return min(len(LEVELS) - 1, max(0, level + rng.choice((-1, 0, 0, 0, 1))))


def generate(args, occupations: list[Occupation]) -> None:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from marketplace.models import Application, Bookmark, Company, Job, JobSeekerProfile

    rng = random.Random(args.seed)
    started = time.perf_counter()
    now = timezone.now()
    companies = Company.objects.bulk_create(
        [
            Company(name=f"Rec Bench Co {i}", slug=f"rec-bench-co-{i}", location=place(rng))
            for i in range(args.companies)
        ]
    )
    jobs = []
    for i in range(args.jobs):
        occupation = rng.choice(occupations)
        required = rng.sample(
            occupation.skills, rng.randint(min(3, len(occupation.skills)), min(12, len(occupation.skills)))
        )
        rest = [name for name in occupation.skills if name not in required]
        preferred = rng.sample(rest, min(len(rest), rng.randint(0, 4)))
        level = jitter_level(rng, occupation.level)
        currency = rng.choices(list(CURRENCIES), CURRENCY_WEIGHTS)[0]
        low = pay(rng, level, currency) if rng.random() < 0.8 else None
        high = int(low * rng.uniform(1.1, 1.5)) // 1000 * 1000 if low is not None and rng.random() < 0.9 else None
        remote = rng.random() < 0.2
        published = now - timedelta(days=rng.uniform(0, 60))
        jobs.append(
            Job(
                company=rng.choice(companies),
                title=f"{occupation.title[:180]} #{i}",
                description=f"{occupation.title}. Tools: {', '.join(required + preferred)}.",
                location="" if remote and rng.random() < 0.5 else place(rng),
                remote=remote,
                employment_type=rng.choices(TYPES, TYPE_WEIGHTS)[0],
                experience_level=LEVELS[level],
                salary_min=low,
                salary_max=high,
                currency=currency,
                skills_required=required,
                skills_preferred=preferred,
                skill_names=[name.lower() for name in required],
                category=occupation.category,
                status="open",
                created_at=published,
                published_at=published,
            )
        )
    Job.objects.bulk_create(jobs, batch_size=2000)
    job_ids = list(Job.objects.filter(status="open").values_list("id", flat=True))
    print(f"generated {len(companies)} companies and {len(jobs)} open jobs in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    unusable = make_password(None)
    users = [
        User(email=f"seeker-{i}@{EMAIL_DOMAIN}", first_name="Seeker", last_name=str(i), password=unusable)
        for i in range(args.seekers)
    ]
    User.objects.bulk_create(users, batch_size=2000)
    user_ids = list(User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").order_by("id").values_list("id", flat=True))
    every_skill = sorted({name for occupation in occupations for name in occupation.skills})
    profiles = []
    for user_id in user_ids:
        occupation = rng.choice(occupations)
        own = rng.sample(
            occupation.skills, rng.randint(min(3, len(occupation.skills)), min(15, len(occupation.skills)))
        )
        skills = list(dict.fromkeys(own + rng.sample(every_skill, rng.randint(0, 2))))
        years = rng.randint(0, 20)
        level = jitter_level(rng, occupation.level)
        currency = rng.choices(list(CURRENCIES), CURRENCY_WEIGHTS)[0]
        wanted = pay(rng, level, currency) if rng.random() < 0.7 else None
        profiles.append(
            JobSeekerProfile(
                user_id=user_id,
                headline=occupation.title[:200],
                skills=[{"name": name} for name in skills],
                skill_names=[name.lower() for name in skills],
                location=place(rng) if rng.random() < 0.9 else "",
                preferred_locations=[place(rng) for _ in range(rng.choice((0, 0, 1, 2)))],
                remote=rng.random() < 0.4,
                experience_years=years,
                experience_level=LEVELS[level] if rng.random() < 0.6 else "",
                desired_salary_min=wanted,
                desired_salary_max=int(wanted * 1.3) if wanted is not None and rng.random() < 0.5 else None,
                currency=currency,
                preferred_employment_types=rng.sample(TYPES[:3], rng.choice((0, 1, 1, 2))),
            )
        )
    JobSeekerProfile.objects.bulk_create(profiles, batch_size=2000)
    applications, bookmarks = [], []
    for user_id in rng.sample(user_ids, len(user_ids) * 3 // 10):
        for job_id in rng.sample(job_ids, rng.randint(1, 3)):
            applications.append(
                Application(job_id=job_id, candidate_id=user_id, created_at=now - timedelta(days=rng.uniform(0, 40)))
            )
        for job_id in rng.sample(job_ids, rng.randint(1, 3)):
            bookmarks.append(
                Bookmark(job_id=job_id, user_id=user_id, created_at=now - timedelta(days=rng.uniform(0, 40)))
            )
    Application.objects.bulk_create(applications, batch_size=2000, ignore_conflicts=True)
    Bookmark.objects.bulk_create(bookmarks, batch_size=2000, ignore_conflicts=True)
    print(
        f"generated {len(profiles)} job seekers, {len(applications)} applications and {len(bookmarks)} bookmarks "
        f"in {time.perf_counter() - started:.1f} s"
    )


def ensure_data(args) -> None:
    from django.core.management import call_command
    from django.db import connection
    from match_quality import find_onet

    from marketplace.models import Job, JobSeekerProfile

    jobs = Job.objects.filter(status="open").count()
    seekers = JobSeekerProfile.objects.filter(user__email__endswith=f"@{EMAIL_DOMAIN}").count()
    if not args.regenerate and (jobs, seekers) == (args.jobs, args.seekers):
        print(f"reusing {jobs} open jobs and {seekers} job seekers already in the database (--regenerate to redo)")
        return
    if jobs or seekers:
        print(f"the database holds {jobs} open jobs and {seekers} bench seekers: flushing it")
        call_command("flush", interactive=False, verbosity=0)
    folder = find_onet(args.data)
    if folder is not None:
        occupations = onet_occupations(folder)
        print(f"skill sets: {len(occupations)} O*NET occupations from {folder}")
    else:
        occupations = taxonomy_occupations()
        print(f"skill sets: {len(occupations)} taxonomy categories (no O*NET data under {args.data})")
    generate(args, occupations)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum would gather them on a live database


# --- measuring --------------------------------------------------------------------------------------
def rss_peak_reset() -> bool:
    """Reset the kernel's peak-RSS mark of this process (Linux); False when that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def proc_status(field: str) -> int | None:
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def process_cpu(pid: int) -> float | None:
    """User + system CPU seconds of a process on this host (Linux /proc), None when it cannot be read."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def mb(value: float | None) -> str:
    return "-" if value is None else f"{value / 1024**2:,.0f} MB"


def time_rebuild(args):
    from django.db import connection

    from matcher.models import Recommendation
    from matcher.recommendations import recommendations_rebuild

    before_rows = Recommendation.objects.count()
    with connection.cursor() as cursor:
        # The state autovacuum keeps between nightly runs (this server may have it off: repeated runs would
        # otherwise pile up the dead rows of every earlier rebuild).
        cursor.execute(f"VACUUM ANALYZE {Recommendation._meta.db_table}")
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0]
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    gc.collect()
    load_before = os.getloadavg()[0]
    backend_before = process_cpu(backend)
    cpu_before = time.process_time()
    reset = rss_peak_reset()
    rss_before = proc_status("VmRSS")
    profiler = None
    if args.cprofile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    stats = recommendations_rebuild(batch_size=args.batch_size)
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_before
    backend_after = process_cpu(backend)
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.cprofile)
    peak = proc_status("VmHWM") if reset else None
    lifetime_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    rate = stats.pairs_scored / wall
    print(
        f"\n== recommendations_rebuild(batch_size={args.batch_size}), {before_rows:,} stored rows before "
        f"(table vacuumed first; autovacuum {autovacuum})"
    )
    print(
        f"seekers {stats.seekers:,} x open jobs {stats.jobs:,} = {stats.pairs_scored:,} pairs; "
        f"{stats.stored:,} rows stored"
    )
    print(f"wall time            {wall:8.2f} s   (target < {TARGET_SECONDS:.0f} s)")
    if peak is not None:
        print(
            f"peak memory (RSS)    {mb(peak):>10}   (target < 2 GB; process peak since just before the rebuild, "
            f"RSS then {mb(rss_before)}, so the rebuild added {mb(peak - rss_before)})"
        )
    print(f"ru_maxrss            {mb(lifetime_peak):>10}   (whole process lifetime, generation included)")
    print(f"pairs scored/s       {rate:14,.0f}")
    postgres = "-" if backend_before is None or backend_after is None else f"{backend_after - backend_before:.1f} s"
    print(
        f"CPU time: this process {cpu:.1f} s, its PostgreSQL backend {postgres}; "
        f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after"
    )
    if profiler is not None:
        import pstats

        print(f"cProfile written to {args.cprofile}; top 25 by cumulative time (timings include profiler overhead):")
        pstats.Stats(args.cprofile).sort_stats("cumulative").print_stats(25)
    return stats, wall, peak


@dataclass
class Baseline:
    label: str
    pairs: int
    seconds: float
    results: dict[int, list[tuple[float, int]]]  # seekers scored against every job: [(score, job id)]

    @property
    def rate(self) -> float:
        return self.pairs / self.seconds


def baselines(args) -> list[Baseline]:
    """score_match pair by pair for a sample of seekers against every open job, about --baseline-seconds each.

    Two ways: partial matches through taxonomy.partial_of (match_kind on each job skill against the
    seeker's skills, as selectors.score_pair does), and through a table of partial pairs computed once beforehand
    (the fastest pair-by-pair Python; the time to build the table is not counted).
    """
    from marketplace.models import JobSeekerProfile
    from matcher import features
    from matcher.recommendations import _JOB_FIELDS, _PROFILE_FIELDS
    from matcher.scoring import score_match
    from matcher.taxonomy import partial_of, partial_pairs
    from matcher.weights import weights_in_use

    jobs = list(features.open_jobs().only(*_JOB_FIELDS).order_by("id"))
    specs = [features.job_spec(job) for job in jobs]
    frequency: Counter = Counter()
    for spec in specs:
        frequency.update(set(spec.skills_required) | set(spec.skills_preferred))
    idf = features.idf_from_counts(frequency, len(specs))
    weights = weights_in_use()
    ids = list(
        JobSeekerProfile.objects.filter(user__is_active=True, user__user_type="job_seeker").values_list(
            "user_id", flat=True
        )
    )
    sample = random.Random(args.seed).sample(ids, min(args.baseline_seekers, len(ids)))
    profiles = list(JobSeekerProfile.objects.filter(user_id__in=sample).only(*_PROFILE_FIELDS).order_by("user_id"))
    activity = features.recent_activity([p.user_id for p in profiles])
    seekers = [features.seeker_spec(profile, activity) for profile in profiles]

    names = sorted(set(frequency) | {key for seeker in seekers for key in seeker.skills})
    partly: dict[str, set[str]] = {}
    for i, j in partial_pairs(names):  # seeker skill names[i] partly matches job skill names[j]
        partly.setdefault(names[j], set()).add(names[i])

    def partial_from_table(job_skill: str, seeker_skills: frozenset[str]) -> bool:
        found = partly.get(job_skill)
        return found is not None and not found.isdisjoint(seeker_skills)

    def run(label: str, partial_of) -> Baseline:
        done = Baseline(label, 0, 0.0, {})
        for seeker, profile in zip(seekers, profiles, strict=True):
            scores: list[tuple[float, int, float]] = []
            started = time.perf_counter()
            for spec in specs:
                match = score_match(seeker, spec, idf=idf, weights=weights, partial_of=partial_of)
                scores.append((match.rank_score, spec.id, match.score))
                if len(scores) % 500 == 0 and done.seconds + time.perf_counter() - started >= args.baseline_seconds:
                    break
            done.seconds += time.perf_counter() - started
            done.pairs += len(scores)
            if len(scores) == len(specs):
                done.results[profile.user_id] = scores
            if done.seconds >= args.baseline_seconds:
                break
        return done

    return [
        run("score_match, partial_of = taxonomy.partial_of (match_kind)", partial_of),
        run("score_match, partial matches from a precomputed table", partial_from_table),
    ]


def agreement(results: dict[int, list[tuple[float, int, float]]], top_n: int = 50) -> None:
    """The stored order follows the pair-by-pair rank_score, and each stored score is that pair's score."""
    from matcher.models import Recommendation

    worst, same_jobs, compared = 0.0, 0, 0
    for user_id, scores in results.items():
        expected = sorted(scores, key=lambda item: -item[0])[:top_n]
        by_job = {job_id: (rank_score, score) for rank_score, job_id, score in scores}
        stored = list(Recommendation.objects.filter(seeker_id=user_id).order_by("rank").values_list("score", "job_id"))
        compared += 1
        if len(stored) != len(expected):
            worst = float("inf")
            continue
        worst = max(worst, max(abs(score - by_job[job_id][1]) for score, job_id in stored))
        worst = max(worst, max(abs(a[0] - by_job[b[1]][0]) for a, b in zip(expected, stored, strict=True)))
        cut = expected[-1][0]  # jobs tied at the last ranking score may differ
        same_jobs += {j for r, j, _ in expected if r > cut} <= {j for _, j in stored}
    if not compared:
        print("agreement: no sampled seeker was scored against every job within the time (raise --baseline-seconds)")
        return
    print(
        f"agreement: for {compared} sampled seekers the stored top {top_n} (scores, and rank scores place by place) "
        f"equal the pair-by-pair ones within {worst:.3f}; same jobs above the cut-off for {same_jobs}/{compared}"
    )


# --- scale-out: the nightly rebuild through Celery worker processes -------------------------------------------
@dataclass
class WorkerRun:
    workers: int
    seconds: float | None  # None: it did not finish within --run-timeout
    seekers: int
    jobs: int
    pairs: int
    stored: int
    peaks: list[int | None]  # each worker process's peak RSS (VmHWM)
    cpu: list[float | None]  # each worker process's CPU seconds
    chunks_taken: list[int]  # chunk tasks each worker ran
    chunk_count: int
    checksum: tuple[int, str]  # (rows, sum of row hashes)
    load: tuple[float, float]  # 1-minute load average before and after

    @property
    def rate(self) -> float | None:
        return self.pairs / self.seconds if self.seconds else None


def parse_sizes(text: str) -> list[tuple[int, int]]:
    sizes = []
    for part in text.split(","):
        seekers, _, jobs = part.strip().lower().partition("x")
        try:
            sizes.append((int(seekers), int(jobs)))
        except ValueError:
            sys.exit(f"--sizes: {part!r} is not SEEKERSxJOBS (e.g. 10000x20000)")
    return sizes


def stored_checksum() -> tuple[int, str]:
    """Rows and an order-free sum of a hash of each stored (seeker, job, rank, score, factors): equal sums over
    equal row counts mean the same rows (computed_at, which differs, is left out)."""
    from django.db import connection

    from matcher.models import Recommendation

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), coalesce(sum(hashtextextended(concat_ws(',', seeker_id, job_id, rank, score, "
            f"factors::text), 0)::numeric), 0) FROM {Recommendation._meta.db_table}"
        )
        rows, total = cursor.fetchone()
    return rows, f"{int(total) & (2**64 - 1):016x}"


def empty_recommendations() -> None:
    from django.db import connection

    from matcher.models import Recommendation, RecommendationRebuild

    with connection.cursor() as cursor:
        # Every run starts from an empty table, so each measures the same work: scoring and storing, not the
        # deletion of the rows of the run before it.
        cursor.execute(f"TRUNCATE {Recommendation._meta.db_table}")
        cursor.execute(f"VACUUM ANALYZE {Recommendation._meta.db_table}")
    RecommendationRebuild.objects.all().delete()


def process_peak_rss(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def steady_activity() -> int:
    """Move applications and bookmarks near the edge of the recent-activity window (features.ACTIVITY_DAYS)
    to a day inside it. Otherwise rows keep ageing out of the window during the bench, and runs minutes apart
    score a few seekers' activity differently: equal results would not show. Nothing ages out for a day."""
    from datetime import timedelta

    from django.utils import timezone

    from marketplace.models import Application, Bookmark
    from matcher.features import ACTIVITY_DAYS

    now = timezone.now()
    edge = {
        "created_at__gt": now - timedelta(days=ACTIVITY_DAYS + 1),
        "created_at__lt": now - timedelta(days=ACTIVITY_DAYS - 1),
    }
    inside = now - timedelta(days=ACTIVITY_DAYS - 2)
    return sum(model.objects.filter(**edge).update(created_at=inside) for model in (Application, Bookmark))


def time_workers(args, count: int, log_dir: Path) -> WorkerRun:
    from django.utils import timezone

    from matcher.models import RecommendationRebuild
    from matcher.tasks import rebuild_recommendations

    empty_recommendations()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    workers = []
    try:
        for index in range(count):
            workers.append(
                CeleryWorker(
                    env,
                    log_dir,
                    name=f"rebuild-{args.seekers}-{count}w-{index}",
                    extra_args=("-n", f"rebuild-bench-{index}@%h"),
                )
            )
        for worker in workers:
            worker.wait_ready(timeout=120)
        load_before = os.getloadavg()[0]
        sent = timezone.now()
        task_id = rebuild_recommendations.delay().id
        deadline = time.monotonic() + args.run_timeout
        run = None
        while time.monotonic() < deadline:
            run = RecommendationRebuild.objects.filter(task_id=task_id).first()
            if run is not None and run.finished_at is not None:
                break
            dead = [worker.name for worker in workers if not worker.alive()]
            if dead:
                print(f"worker(s) {', '.join(dead)} exited; logs in {log_dir}")
                break
            time.sleep(0.1)
        finished = run is not None and run.finished_at is not None
        seconds = (run.finished_at - sent).total_seconds() if finished else None
        if not finished:
            print(f"the run with {count} worker(s) did not finish within {args.run_timeout:.0f} s (--run-timeout)")
        peaks = [process_peak_rss(worker.pid) for worker in workers]
        cpu = [process_cpu(worker.pid) for worker in workers]
        taken = [
            sum(
                "rebuild_recommendations_chunk[" in line and " succeeded " in line
                for line in worker.log(chars=1 << 30).splitlines()
            )
            for worker in workers
        ]
        load_after = os.getloadavg()[0]
    finally:
        for worker in workers:
            worker.stop()
    return WorkerRun(
        workers=count,
        seconds=seconds,
        seekers=run.seekers if finished else 0,
        jobs=run.jobs if finished else 0,
        pairs=run.pairs_scored if finished else 0,
        stored=run.stored if finished else 0,
        peaks=peaks,
        cpu=cpu,
        chunks_taken=taken,
        chunk_count=run.chunk_count if run else 0,
        checksum=stored_checksum(),
        load=(load_before, load_after),
    )


def time_one_shot(args) -> tuple[float, int, tuple[int, str]]:
    from matcher.recommendations import recommendations_rebuild

    empty_recommendations()
    started = time.perf_counter()
    stats = recommendations_rebuild(batch_size=args.batch_size)
    return time.perf_counter() - started, stats.pairs_scored, stored_checksum()


def scale_out(args) -> None:
    import tempfile

    log_dir = Path(tempfile.mkdtemp(prefix="kazi-rebuild-bench-"))
    print(f"worker logs in {log_dir}; chunks of {args.chunk_seekers:,} seekers (--chunk-seekers)")
    table = []
    for seekers, jobs in parse_sizes(args.sizes):
        args.seekers, args.jobs = seekers, jobs
        print(f"\n== {seekers:,} seekers x {jobs:,} open jobs")
        ensure_data(args)
        print(f"moved {steady_activity()} applications and bookmarks off the edge of the activity window")
        one_shot = None
        if args.one_shot:
            one_shot = time_one_shot(args)
            print(f"one-shot recommendations_rebuild() in this process: {one_shot[0]:.2f} s, checksum {one_shot[2]}")
        runs = []
        for count in args.workers:
            run = time_workers(args, count, log_dir)
            runs.append(run)
            wall = "-" if run.seconds is None else f"{run.seconds:.2f} s"
            rate = "-" if run.rate is None else f"{run.rate:,.0f}"
            print(
                f"{count} worker(s): wall {wall}, {rate} pairs/s, peak RSS {', '.join(mb(p) for p in run.peaks)}, "
                f"CPU {', '.join('-' if c is None else f'{c:.1f} s' for c in run.cpu)}, "
                f"chunks taken {'+'.join(map(str, run.chunks_taken))} of {run.chunk_count}, "
                f"{run.stored:,} rows, checksum {run.checksum}, load {run.load[0]:.2f} -> {run.load[1]:.2f}"
            )
        table.append((seekers, jobs, one_shot, runs))

    print(f"\n== summary ({os.cpu_count()} CPUs; load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())})")
    print(f"{'size':>18} {'workers':>7} {'wall':>9} {'pairs/s':>12} {'peak RSS per worker':>22} {'speed-up':>9}")
    for seekers, jobs, one_shot, runs in table:
        size = f"{seekers:,} x {jobs:,}"
        if one_shot is not None:
            print(f"{size:>18} {'in-proc':>7} {one_shot[0]:>7.2f} s {one_shot[1] / one_shot[0]:>12,.0f}")
        base = runs[0].seconds if runs and runs[0].workers == 1 else None
        for run in runs:
            speed = f"{base / run.seconds:.2f}x" if base and run.seconds else "-"
            wall = "-" if run.seconds is None else f"{run.seconds:7.2f} s"
            rate = "-" if run.rate is None else f"{run.rate:,.0f}"
            peaks = ", ".join(mb(peak) for peak in run.peaks)
            print(f"{size:>18} {run.workers:>7} {wall:>9} {rate:>12} {peaks:>22} {speed:>9}")
        sums = {run.checksum for run in runs} | ({one_shot[2]} if one_shot else set())
        same = "identical" if len(sums) == 1 else "DIFFERENT"
        ups = [f"{base / run.seconds:.2f}x" for run in runs if base and run.seconds and run.workers == 2]
        verdict = f"; 2 workers {ups[0]} (target >= 1.7x)" if ups else ""
        print(f"{'':>18} stored rows {same} across runs ({', '.join(f'{r:,} rows {h}' for r, h in sums)}){verdict}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seekers", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=20_000)
    parser.add_argument("--companies", type=int, default=1_000)
    parser.add_argument(
        "--database-url",
        help="its name must contain 'bench' (default: DATABASE_URL's server, its database name + _bench)",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding onet-29.2/ (optional)")
    parser.add_argument("--batch-size", type=int, default=500, help="recommendations_rebuild(batch_size=...)")
    parser.add_argument("--baseline-seconds", type=float, default=10.0)
    parser.add_argument("--baseline-seekers", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--regenerate", action="store_true", help="flush the database and generate the data again")
    parser.add_argument("--cprofile", metavar="FILE", help="run the rebuild under cProfile, save and summarize it")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    scale = parser.add_argument_group("scale-out: the nightly rebuild through Celery worker processes")
    scale.add_argument("--scale-out", action="store_true", help="run this mode instead of the single-process one")
    scale.add_argument("--sizes", default="10000x20000,100000x20000", help="SEEKERSxJOBS, comma separated")
    scale.add_argument(
        "--workers", default="1,2", type=lambda text: [int(n) for n in text.split(",")], help="worker counts"
    )
    scale.add_argument("--chunk-seekers", type=int, default=1000, help="KAZI_REBUILD_CHUNK_SEEKERS of the run")
    scale.add_argument("--run-timeout", type=float, default=1800.0, help="seconds to wait for one run")
    scale.add_argument("--one-shot", action="store_true", help="also time recommendations_rebuild() in-process")
    args = parser.parse_args(argv)
    args.database_url = bench_database_url(args.database_url)
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    set_environment(args)
    print(f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    prepare_database(args.database_url)

    import django

    django.setup()
    if args.scale_out:
        scale_out(args)
        if args.drop:
            drop_database(args.database_url)
        return
    ensure_data(args)

    stats, wall, peak = time_rebuild(args)
    engine_rate = stats.pairs_scored / wall
    print(f"\n== baselines: pair by pair in pure Python, a sample of seekers x {stats.jobs:,} jobs")
    runs = baselines(args)
    for run in runs:
        print(
            f"{run.label}: {run.pairs:,} pairs in {run.seconds:.2f} s = {run.rate:,.0f} pairs/s "
            f"({len(run.results)} of the sampled seekers scored against every job)"
        )
    results = {}
    for run in runs:
        results.update(run.results)
    agreement(results)
    print("\n== summary")
    print(f"rebuild wall time {wall:.2f} s ({'meets' if wall < TARGET_SECONDS else 'misses'} < {TARGET_SECONDS:.0f} s)")
    if peak is not None:
        print(f"peak memory {mb(peak)} ({'meets' if peak < TARGET_BYTES else 'misses'} < 2 GB)")
    for run in runs:
        ratio = engine_rate / run.rate
        print(
            f"rebuild {engine_rate:,.0f} pairs/s vs {run.rate:,.0f} pairs/s ({run.label}): {ratio:,.0f}x "
            f"({'meets' if ratio >= TARGET_RATIO else 'misses'} >= {TARGET_RATIO:.0f}x)"
        )
    if args.drop:
        drop_database(args.database_url)


if __name__ == "__main__":
    main()
