"""What each role's dashboard shows, built from the rollups and the marketplace's own tables.

Every function takes the caller and returns only their data: a seeker's own applications, a recruiter's own
company's jobs. The query count of each is fixed, whatever the number of jobs or applications.
"""

from datetime import timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from analytics import selectors
from marketplace.choices import ApplicationStatus, JobStatus
from marketplace.models import Application, ApplicationStatusChange, Job
from notifications.status import socket_status

ACTIVITY_DAYS = 30
RECRUITER_JOBS_SHOWN = 100


def first_response_subquery():
    """When an application first left `pending` other than by its candidate withdrawing."""
    return Subquery(
        ApplicationStatusChange.objects.filter(application=OuterRef("pk"), old_status=ApplicationStatus.PENDING)
        .exclude(new_status=ApplicationStatus.WITHDRAWN)
        .order_by("changed_at", "id")
        .values("changed_at")[:1]
    )


def response_wait():
    return ExpressionWrapper(F("first_response_at") - F("created_at"), output_field=DurationField())


def hours_of(duration: timedelta | None) -> float | None:
    return round(duration.total_seconds() / 3600, 2) if duration is not None else None


def _status_counts(applications) -> dict[str, int]:
    counts = dict(applications.order_by().values("status").annotate(n=Count("id")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in ApplicationStatus.values}


def applications_per_day(applications, *, days: int = ACTIVITY_DAYS) -> list[dict]:
    """Applications made each day of the last `days` (UTC), today's up to this moment: read from the applications
    themselves, so the current hour counts before the hourly rollup reaches it."""
    today = timezone.now().date()
    first = today - timedelta(days=days - 1)
    counts = dict(
        applications.order_by()
        .filter(created_at__date__gte=first)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    return [
        {"date": (first + timedelta(days=i)).isoformat(), "applications": counts.get(first + timedelta(days=i), 0)}
        for i in range(days)
    ]


def seeker_dashboard(user: User) -> dict:
    applications = Application.objects.filter(candidate=user)
    responded = applications.order_by().annotate(first_response_at=first_response_subquery())
    summary = responded.aggregate(
        total=Count("id"),
        responded=Count("id", filter=Q(first_response_at__isnull=False)),
        waited=Avg(response_wait()),
    )
    total = summary["total"]
    return {
        "role": "job_seeker",
        "as_of": selectors.as_of(),
        "applications": {
            "total": total,
            "by_status": _status_counts(applications),
            "responded": summary["responded"],
            "response_rate": round(summary["responded"] / total, 4) if total else 0.0,
            "average_response_hours": hours_of(summary["waited"]),
            "per_day": applications_per_day(applications),
        },
        "activity": {
            "days": ACTIVITY_DAYS,
            **selectors.user_activity(user.pk, since=timezone.now() - timedelta(days=ACTIVITY_DAYS)),
        },
    }


def _job_rows(jobs: list[dict], applications, as_of) -> list[dict]:
    """Per job: views (with the hour not yet rolled up), applications, conversion and first-response figures."""
    job_ids = [job["id"] for job in jobs]
    totals = selectors.job_totals(job_ids)
    unrolled = selectors.job_views_since(job_ids, since=as_of)
    responses = {
        row["job_id"]: row
        for row in applications.filter(job_id__in=job_ids)
        .annotate(first_response_at=first_response_subquery())
        .values("job_id")
        .annotate(
            received=Count("id"),
            responded=Count("id", filter=Q(first_response_at__isnull=False)),
            waited=Avg(response_wait()),
        )
    }
    rows = []
    for job in jobs:
        figures, response = totals[job["id"]], responses.get(job["id"], {})
        rows.append(
            {
                "id": job["id"],
                "title": job["title"],
                "status": job["status"],
                "views": figures.views,
                "views_now": figures.views + unrolled.get(job["id"], 0),
                "unique_views": figures.unique_views,
                "applications": figures.applications,
                "conversion_rate": figures.conversion_rate,
                "applications_received": response.get("received", 0),
                "responded": response.get("responded", 0),
                "average_response_hours": hours_of(response.get("waited")),
            }
        )
    return rows


def recruiter_dashboard(user: User) -> dict:
    if not user.company_id:
        return {
            "role": "recruiter",
            "as_of": selectors.as_of(),
            "company": None,
            "jobs_total": 0,
            "jobs": [],
            "pipeline": _status_counts(Application.objects.none()),
            "average_response_hours": None,
            "applications_per_day": applications_per_day(Application.objects.none()),
        }
    company_jobs = Job.objects.filter(company_id=user.company_id)
    applications = Application.objects.filter(job__company_id=user.company_id)
    jobs = list(
        company_jobs.order_by("-created_at", "-id").values("id", "title", "status", "created_at")[:RECRUITER_JOBS_SHOWN]
    )
    as_of = selectors.as_of()
    rows = _job_rows(jobs, applications, as_of)
    overall = (
        applications.order_by()
        .annotate(first_response_at=first_response_subquery())
        .aggregate(waited=Avg(response_wait()))
    )
    return {
        "role": "recruiter",
        "as_of": as_of,
        "company": {"id": user.company_id, "name": user.company.name},
        "jobs_total": company_jobs.count(),
        "jobs": rows,
        "pipeline": _status_counts(applications),
        "average_response_hours": hours_of(overall["waited"]),
        "applications_per_day": applications_per_day(applications),
    }


def platform_dashboard(*, hours: int = 24) -> dict:
    users = dict(User.objects.order_by().values("user_type").annotate(n=Count("id")).values_list("user_type", "n"))
    jobs = dict(Job.objects.order_by().values("status").annotate(n=Count("id")).values_list("status", "n"))
    try:
        sockets = socket_status()
        active_sockets = {"connections": sockets["active_connections"], "users": sockets["active_users"]}
    except Exception:  # Redis down: the rest of the dashboard still answers
        active_sockets = None
    by_status = _status_counts(Application.objects.all())
    return {
        "role": "admin",
        "as_of": selectors.as_of(),
        "users": {"total": sum(users.values()), "by_type": users},
        "jobs": {"total": sum(jobs.values()), "by_status": {s: jobs.get(s, 0) for s in JobStatus.values}},
        "applications": {
            "total": sum(by_status.values()),
            "by_status": by_status,
            "per_day": applications_per_day(Application.objects.all()),
        },
        "active_sockets": active_sockets,
        "events_per_hour": selectors.events_per_hour(since=timezone.now() - timedelta(hours=hours)),
    }


def job_analytics(job: Job, *, days: int = 30) -> dict:
    since = timezone.now() - timedelta(days=days)
    figures = selectors.job_totals([job.pk])[job.pk]
    return {
        "job_id": str(job.pk),
        "as_of": selectors.as_of(),
        "views": figures.views,
        "unique_views": figures.unique_views,
        "applications": figures.applications,
        "bookmarks": figures.bookmarks,
        "conversion_rate": figures.conversion_rate,
        "daily_stats": selectors.job_daily_stats(job.pk, since=since.date()),
        "viewers": selectors.job_viewer_breakdown(job.pk, since=since),
    }


JOB_TABLE = [
    "job_id",
    "title",
    "status",
    "views",
    "unique_views",
    "applications",
    "conversion_rate",
    "responded",
    "average_response_hours",
]


def dashboard_table(dashboard: dict) -> tuple[list[str], list[list]]:
    """A dashboard's main figures as one table (its CSV export): a recruiter's per job, otherwise per day."""
    if dashboard["role"] == "recruiter":
        rows = [
            [
                job["id"],
                job["title"],
                job["status"],
                job.get("views_now", job["views"]),
                job["unique_views"],
                job["applications_received"],
                job["conversion_rate"],
                job["responded"],
                job["average_response_hours"],
            ]
            for job in dashboard["jobs"]
        ]
        return JOB_TABLE, rows
    per_day = dashboard["applications"]["per_day"]
    return ["date", "applications"], [[row["date"], row["applications"]] for row in per_day]
