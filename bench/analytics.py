"""Analytics benchmark: the SQL hourly rollup and a dashboard read, against naive per-event Python loops.

Not a test: it prints figures and never fails on time. See bench/README.md.

    .venv/bin/python bench/analytics.py [--events 1000000 --new-events 100000]

In a database of its own (created, migrated, and dropped at the end unless --keep) it generates companies,
jobs, job seekers with profiles, applications with status changes, and --events analytics events loaded with
COPY: the last --new-events of them in the last complete hour, the rest spread over the --days before it.
Job and company popularity are skewed (a few large companies get much of the traffic), as on a real board.
  1. rolls up the history hour by hour (the backfill `manage.py rollup_analytics --since` does);
  2. times `rollups.rollup_hour` over the new hour (first run, and a rerun of the same hour);
  3. times a naive per-event loop over the same hour (ORM get_or_create + save of each rollup row per event),
     for about --baseline-seconds, extrapolated to the hour; and an in-memory Python loop (fetch the hour's
     events, count in dicts, bulk-write) over the whole hour; both inside a transaction that is rolled back;
  4. times GET /api/analytics/dashboard/ for the recruiter of the largest company and of a median one, next
     to a per-event loop over those companies' raw events computing the same job figures.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from recommendations import admin_url, drop_database, prepare_database  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kazi_bench_analytics"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
TARGET_RATIO = 20.0
EVENT_MIX = {  # event type: (share, has a job, source)
    "job_view": (70, True, "client"),
    "job_search": (10, False, "client"),
    "job_bookmark": (5, True, "service"),
    "profile_view": (5, False, "client"),
    "job_apply": (4, True, "service"),
    "recommendation_feedback": (4, True, "service"),
    "interview_completed": (2, True, "service"),
}
TERMS = [
    f"{skill} {role}".strip()
    for skill in ("python", "django", "react", "data", "devops", "go", "java", "sales", "design", "")
    for role in ("developer", "engineer", "analyst", "manager", "intern", "remote", "")
    if skill or role
]
CITIES = ["Nairobi, Kenya", "Lagos, Nigeria", "Accra, Ghana", "Kigali, Rwanda", "Cairo, Egypt", "Berlin, Germany",
          "London, United Kingdom", "Toronto, Canada", "Bangalore, India", "Remote"]  # fmt: skip
LEVELS = ["entry", "junior", "mid", "senior", "lead", "executive", ""]
TYPES = ["full_time", "part_time", "contract", "internship", "temporary"]


def set_environment(args) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=args.database_url,
        REDIS_URL=os.environ.get("REDIS_URL", DEFAULT_REDIS_URL),
        DJANGO_DEBUG="1",
        KAZI_CACHE_PREFIX=f"kazi-bench-analytics-{os.getpid()}",
        KAZI_REALTIME_PREFIX=f"kazi-bench-analytics-{os.getpid()}.",
        KAZI_LOG_LEVEL="WARNING",
        KAZI_THROTTLE_USER_MINUTE="1000000/minute",
        KAZI_THROTTLE_USER_HOUR="100000000/hour",
        DJANGO_ALLOWED_HOSTS="testserver,localhost",  # the dashboard is requested through Django's test client
    )


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


# --- data ---------------------------------------------------------------------------------------------
def skewed(rng: random.Random, n: int, alpha: float = 1.1) -> list[float]:
    """Zipf-like weights for n items, shuffled so popularity is not tied to ids."""
    weights = [1.0 / (rank**alpha) for rank in range(1, n + 1)]
    rng.shuffle(weights)
    return weights


def generate(args, new_hour: datetime) -> dict:
    from django.db import connection

    from accounts.models import User
    from marketplace.models import Application, ApplicationStatusChange, Company, Job, JobSeekerProfile

    rng = random.Random(args.seed)
    started = time.perf_counter()
    companies = Company.objects.bulk_create(
        [Company(name=f"Bench Co {i}", slug=f"bench-co-{i}") for i in range(args.companies)]
    )
    recruiters = User.objects.bulk_create(
        [
            User(email=f"recruiter{i}@analytics.bench", user_type="recruiter", company=c, password="!")
            for i, c in enumerate(companies)
        ]
    )
    company_weights = skewed(rng, len(companies))
    job_companies = rng.choices(companies, weights=company_weights, k=args.jobs)
    jobs = Job.objects.bulk_create(
        [
            Job(
                company=c,
                title=f"Bench job {i}",
                status="open",
                employment_type=rng.choice(TYPES),
                location=rng.choice(CITIES),
                category="tech",
            )
            for i, c in enumerate(job_companies)
        ],  # fmt: skip
        batch_size=2000,
    )
    seekers = User.objects.bulk_create(
        [User(email=f"seeker{i}@analytics.bench", user_type="job_seeker", password="!") for i in range(args.seekers)],
        batch_size=5000,
    )
    JobSeekerProfile.objects.bulk_create(
        [JobSeekerProfile(user=u, experience_level=rng.choice(LEVELS), location=rng.choice(CITIES)) for u in seekers],
        batch_size=5000,
    )
    job_ids, seeker_ids = [j.pk for j in jobs], [s.pk for s in seekers]
    job_cumulative = list(itertools.accumulate(skewed(rng, len(jobs))))  # O(log n) draws with cum_weights
    pairs = {
        (rng.choices(job_ids, cum_weights=job_cumulative)[0], rng.choice(seeker_ids)) for _ in range(args.applications)
    }
    applications = Application.objects.bulk_create(
        [
            Application(job_id=j, candidate_id=s, created_at=new_hour - timedelta(days=rng.uniform(0, args.days)))
            for j, s in pairs
        ],
        batch_size=5000,
    )
    changes = []
    for application in applications:
        if rng.random() < 0.6:
            changes.append(
                ApplicationStatusChange(
                    application=application, old_status="pending", new_status=rng.choice(["reviewing", "rejected"]),
                    changed_at=application.created_at + timedelta(hours=rng.uniform(1, 96)),
                )
            )  # fmt: skip
    ApplicationStatusChange.objects.bulk_create(changes, batch_size=5000)
    by_status = {change.application.pk: change.new_status for change in changes}
    Application.objects.filter(pk__in=[pk for pk, s in by_status.items() if s == "reviewing"]).update(
        status="reviewing"
    )
    Application.objects.filter(pk__in=[pk for pk, s in by_status.items() if s == "rejected"]).update(status="rejected")
    print(
        f"data: {len(companies)} companies, {len(jobs):,} jobs, {len(seekers):,} seekers, "
        f"{len(applications):,} applications in {time.perf_counter() - started:.1f} s"
    )

    started = time.perf_counter()
    kinds = list(EVENT_MIX)
    kind_cumulative = list(itertools.accumulate(EVENT_MIX[k][0] for k in kinds))
    history = args.events - args.new_events
    history_start = new_hour - timedelta(days=args.days)
    span = (new_hour - history_start).total_seconds()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(
            "COPY analytics_event (event_type, source, user_id, job_id, metadata, created_at) FROM STDIN"
        ) as copy:
            for i in range(args.events):
                kind = rng.choices(kinds, cum_weights=kind_cumulative)[0]
                _, has_job, source = EVENT_MIX[kind]
                if i < history:
                    at = history_start + timedelta(seconds=rng.random() * span)
                else:
                    at = new_hour + timedelta(seconds=rng.random() * 3600)
                job = rng.choices(job_ids, cum_weights=job_cumulative)[0] if has_job else None
                meta = json.dumps({"query": rng.choice(TERMS)}) if kind == "job_search" else "{}"
                copy.write_row((kind, source, rng.choice(seeker_ids), job, meta, at))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"events: {args.events:,} loaded with COPY in {time.perf_counter() - started:.1f} s "
          f"({args.new_events:,} in {new_hour:%Y-%m-%d %H}:00, the rest over the {args.days} days before)")  # fmt: skip
    return {"recruiters": recruiters}


# --- the rollup and its baselines ------------------------------------------------------------------------------
class Rollback(Exception):
    pass


def naive_per_event(hour: datetime, seconds: float) -> tuple[int, float]:
    """The loop one writes first: for each event, fetch-or-create its rollup rows and add one. Returns the
    number of events handled and the time taken (stops after `seconds`)."""
    from django.db import transaction

    from analytics.models import Event, JobHourlyStats, JobViewer, UserHourlyStats
    from marketplace.models import Job, JobSeekerProfile

    handled, started = 0, time.perf_counter()
    try:
        with transaction.atomic():
            events = Event.objects.filter(created_at__gte=hour, created_at__lt=hour + timedelta(hours=1))
            for event in events.order_by("created_at", "id").iterator(chunk_size=2000):
                if event.job_id is not None:
                    stats, _ = JobHourlyStats.objects.get_or_create(job_id=event.job_id, hour=hour)
                    if event.event_type == "job_view":
                        stats.views += 1
                        profile = JobSeekerProfile.objects.filter(user_id=event.user_id).first()
                        level = (profile.experience_level if profile else "") or "unknown"
                        location = (profile.location if profile else "") or "unknown"
                        first_this_hour = not Event.objects.filter(
                            job_id=event.job_id, user_id=event.user_id, event_type="job_view",
                            created_at__gte=hour, created_at__lt=event.created_at,
                        ).exists()  # fmt: skip
                        if first_this_hour:
                            stats.unique_viewers += 1
                            stats.viewer_levels[level] = stats.viewer_levels.get(level, 0) + 1
                            stats.viewer_locations[location] = stats.viewer_locations.get(location, 0) + 1
                        JobViewer.objects.get_or_create(
                            job_id=event.job_id, user_id=event.user_id, defaults={"first_viewed_at": event.created_at}
                        )
                    elif event.event_type == "job_apply" and event.source == "service":
                        stats.applications += 1
                    elif event.event_type == "job_bookmark" and event.source == "service":
                        stats.bookmarks += 1
                    stats.save()
                if event.user_id is not None:
                    ustats, _ = UserHourlyStats.objects.get_or_create(user_id=event.user_id, hour=hour)
                    ustats.events += 1
                    previous = (
                        Event.objects.filter(user_id=event.user_id, created_at__lt=event.created_at)
                        .order_by("-created_at")
                        .values_list("created_at", flat=True)
                        .first()
                    )
                    if previous is None or event.created_at - previous > timedelta(minutes=30):
                        ustats.sessions += 1
                    if event.event_type == "job_search":
                        ustats.searches += 1
                        term = event.metadata.get("query", "")
                        if term:
                            ustats.search_terms[term] = ustats.search_terms.get(term, 0) + 1
                    elif event.event_type in ("job_view", "job_apply", "job_bookmark"):
                        kind = Job.objects.filter(pk=event.job_id).values_list("employment_type", flat=True).first()
                        ustats.job_types[kind] = ustats.job_types.get(kind, 0) + 1
                        ustats.job_views += event.event_type == "job_view"
                    ustats.save()
                handled += 1
                if time.perf_counter() - started > seconds:
                    break
            raise Rollback
    except Rollback:
        pass
    return handled, time.perf_counter() - started


def in_memory_loop(hour: datetime) -> float:
    """A better Python loop: read the hour's events once, count in dicts, write with bulk_create."""
    from collections import Counter, defaultdict

    from django.db import transaction

    from analytics.models import Event, JobHourlyStats, UserHourlyStats
    from marketplace.models import Job, JobSeekerProfile

    started = time.perf_counter()
    try:
        with transaction.atomic():
            JobHourlyStats.objects.filter(hour=hour).delete()
            UserHourlyStats.objects.filter(hour=hour).delete()
            rows = Event.objects.filter(created_at__gte=hour, created_at__lt=hour + timedelta(hours=1)).values_list(
                "event_type", "source", "user_id", "job_id", "metadata", "created_at"
            )
            profiles = dict(JobSeekerProfile.objects.values_list("user_id", "experience_level"))
            kinds = dict(Job.objects.values_list("id", "employment_type"))
            jobs: dict[int, Counter] = defaultdict(Counter)
            viewers: dict[int, set] = defaultdict(set)
            levels: dict[int, Counter] = defaultdict(Counter)
            users: dict[int, Counter] = defaultdict(Counter)
            terms: dict[int, Counter] = defaultdict(Counter)
            for event_type, source, user_id, job_id, metadata, _ in rows.iterator(chunk_size=5000):
                if job_id is not None:
                    if event_type == "job_view":
                        jobs[job_id]["views"] += 1
                        if user_id not in viewers[job_id]:
                            viewers[job_id].add(user_id)
                            levels[job_id][profiles.get(user_id) or "unknown"] += 1
                    elif source == "service" and event_type in ("job_apply", "job_bookmark"):
                        jobs[job_id][event_type] += 1
                if user_id is not None:
                    users[user_id]["events"] += 1
                    if event_type == "job_search":
                        terms[user_id][metadata.get("query", "")] += 1
                    elif job_id is not None and event_type in ("job_view", "job_apply", "job_bookmark"):
                        users[user_id][kinds[job_id]] += 1
            JobHourlyStats.objects.bulk_create(
                [
                    JobHourlyStats(
                        job_id=j,
                        hour=hour,
                        views=c["views"],
                        unique_viewers=len(viewers[j]),
                        applications=c["job_apply"],
                        bookmarks=c["job_bookmark"],
                        viewer_levels=levels[j],
                    )
                    for j, c in jobs.items()
                ],  # fmt: skip
                batch_size=5000,
            )
            UserHourlyStats.objects.bulk_create(
                [
                    UserHourlyStats(user_id=u, hour=hour, events=c["events"], search_terms=terms[u])
                    for u, c in users.items()
                ],
                batch_size=5000,
            )
            raise Rollback
    except Rollback:
        pass
    return time.perf_counter() - started


# --- the dashboard and its baseline ---------------------------------------------------------------------------
def dashboard_timing(recruiter, repeat: int) -> float:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(recruiter)
    client.get("/api/analytics/dashboard/")  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get("/api/analytics/dashboard/")
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            sys.exit(f"dashboard answered {response.status_code}: {response.content[:500]!r}")
    return statistics.median(times)


def naive_dashboard(recruiter) -> float:
    """The same job figures from the raw events, one event at a time."""
    from analytics.models import Event
    from marketplace.models import Job

    started = time.perf_counter()
    figures: dict[int, dict] = {}
    for job in Job.objects.filter(company_id=recruiter.company_id):
        figures[job.pk] = {"views": 0, "viewers": set(), "applications": 0}
    for event in Event.objects.filter(job__company_id=recruiter.company_id).iterator(chunk_size=2000):
        job = figures[event.job_id]
        if event.event_type == "job_view":
            job["views"] += 1
            job["viewers"].add(event.user_id)
        elif event.event_type == "job_apply" and event.source == "service":
            job["applications"] += 1
    return time.perf_counter() - started


def company_events(recruiter) -> int:
    from analytics.models import Event

    return Event.objects.filter(job__company_id=recruiter.company_id).count()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--new-events", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=30, help="history spread over this many days")
    parser.add_argument("--companies", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2_000)
    parser.add_argument("--seekers", type=int, default=20_000)
    parser.add_argument("--applications", type=int, default=20_000)
    parser.add_argument("--baseline-seconds", type=float, default=20.0)
    parser.add_argument("--repeat", type=int, default=20, help="dashboard requests timed (median)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="its name must contain 'bench'")
    parser.add_argument("--keep", action="store_true", help="keep the database (default: drop it at the end)")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    if args.new_events > args.events:
        sys.exit("--new-events must not exceed --events")
    set_environment(args)
    print(f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    _, name = admin_url(args.database_url)
    prepare_database(args.database_url)
    import django

    django.setup()
    from django.db import connection

    from accounts.models import User
    from analytics import rollups

    try:
        if User.objects.exists():
            sys.exit(f"database {name} is not empty: drop it first (or give another --database-url)")
        new_hour = rollups.floor_hour(datetime.now(UTC)) - timedelta(hours=1)
        data = generate(args, new_hour)

        print("\n== backfill of the history (manage.py rollup_analytics --since does the same)")
        seconds, hours = timed(rollups.rollup_pending, now=new_hour, since=new_hour - timedelta(days=args.days))
        print(f"{hours} hours, {args.events - args.new_events:,} events in {seconds:.1f} s")

        print(f"\n== one hourly rollup over {args.new_events:,} new events")
        first, _ = timed(rollups.rollup_hour, new_hour)
        rerun, _ = timed(rollups.rollup_hour, new_hour)
        print(f"SQL rollup: {first:.2f} s (the same hour again: {rerun:.2f} s)")
        handled, spent = naive_per_event(new_hour, args.baseline_seconds)
        naive_hour = spent / max(handled, 1) * args.new_events
        print(f"naive per-event loop: {handled:,} events in {spent:.1f} s = {handled / spent:,.0f} events/s, "
              f"so {naive_hour:,.0f} s for the hour (extrapolated)")  # fmt: skip
        memory = in_memory_loop(new_hour)
        print(f"in-memory Python loop (one read, dicts, bulk_create; fewer figures): {memory:.2f} s")

        print("\n== GET /api/analytics/dashboard/ as a recruiter")
        recruiters = sorted(data["recruiters"], key=company_events, reverse=True)
        dashboards = []
        sample = (("largest company", recruiters[0]), ("median company", recruiters[len(recruiters) // 2]))
        for label, recruiter in sample:
            events = company_events(recruiter)
            request = dashboard_timing(recruiter, args.repeat)
            naive = naive_dashboard(recruiter)
            dashboards.append((label, events, request, naive))
            print(f"{label} ({events:,} events on its jobs): request {request * 1000:.1f} ms (median of "
                  f"{args.repeat}), naive per-event loop {naive * 1000:.0f} ms")  # fmt: skip

        print("\n== summary")
        for label, value in (
            ("rollup vs naive per-event loop", naive_hour / first),
            ("rollup vs in-memory Python loop", memory / first),
        ):
            print(f"{label}: {value:,.1f}x ({'meets' if value >= TARGET_RATIO else 'misses'} >= {TARGET_RATIO:.0f}x)")
        for label, events, request, naive in dashboards:
            ratio = naive / request
            print(
                f"dashboard, {label} ({events:,} events): {ratio:,.1f}x "
                f"({'meets' if ratio >= TARGET_RATIO else 'misses'} >= {TARGET_RATIO:.0f}x)"
            )
    finally:
        connection.close()
        if args.keep:
            print(f"kept database {name}")
        else:
            drop_database(args.database_url)


if __name__ == "__main__":
    main()
