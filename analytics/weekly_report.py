"""The weekly recruiter report: last week's figures of a company's jobs, mailed to each of its recruiters on
Monday morning (config/beat.py), once per recruiter and week.

A week is Monday 00:00 to Monday 00:00 UTC. Views come from the hourly rollups, which the hourly beat task has
written through the report's hour; applications and stage moves from the marketplace's own tables. The mail
carries finished words and numbers (core/text.py), so its templates only lay them out and the stored context
reads the same when the worker renders it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Avg, Count, Q, Sum

from accounts.choices import UserType
from accounts.models import User
from analytics.dashboards import first_response_subquery, hours_of, response_wait
from analytics.insights import company_insights
from analytics.models import JobHourlyStats
from core import text
from core.mail import mail_queue
from marketplace.choices import ApplicationStatus, JobStatus
from marketplace.models import Application, ApplicationStatusChange, Company, Job
from notifications.mailing import email_wanted, unsubscribe_url
from notifications.models import NotificationPreference

KIND = "weekly_report"
# An application still pending after this long is listed as waiting for an answer.
WAITING_AFTER = timedelta(days=3)
WAITING_LISTED = 10
JOBS_LISTED = 25


@dataclass(frozen=True)
class Week:
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        last_day = self.end - timedelta(days=1)
        return f"{text.day(self.start)} – {text.day(last_day)}"


def last_full_week(now: datetime) -> Week:
    """The Monday-to-Monday week (UTC) that ended most recently before `now`."""
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    end = today - timedelta(days=today.weekday())
    return Week(start=end - timedelta(days=7), end=end)


def _week_views(job_ids: list[int], week: Week) -> dict[int, int]:
    rows = (
        JobHourlyStats.objects.filter(job_id__in=job_ids, hour__gte=week.start, hour__lt=week.end)
        .order_by()
        .values("job_id")
        .annotate(n=Sum("views"))
        .values_list("job_id", "n")
    )
    return {job_id: n or 0 for job_id, n in rows}


def _change(now: int, before: int) -> str:
    if before == 0:
        return "new this week" if now else "none either week"
    delta = round(100 * (now - before) / before)
    return "same as the week before" if delta == 0 else f"{delta:+d}% on the week before"


def _job_rows(company_id: int, week: Week, applications) -> list[dict]:
    jobs = list(
        Job.objects.filter(company_id=company_id)
        .filter(Q(status=JobStatus.OPEN) | Q(updated_at__gte=week.start))
        .order_by("-created_at", "-id")[:JOBS_LISTED]
    )
    job_ids = [job.pk for job in jobs]
    received = dict(
        applications.filter(job_id__in=job_ids, created_at__gte=week.start, created_at__lt=week.end)
        .order_by()
        .values("job_id")
        .annotate(n=Count("id"))
        .values_list("job_id", "n")
    )
    views = _week_views(job_ids, week)
    insight = {row["job_id"]: row for row in company_insights(company_id, now=week.end)}
    rows = []
    for job in jobs:
        forecast = insight.get(job.pk)
        flags = forecast["below_category"] if forecast else []
        rows.append(
            {
                "title": job.title,
                "status": text.status_word(job.status),
                "applications": text.plural(received.get(job.pk, 0), "application"),
                "views": text.plural(views.get(job.pk, 0), "view"),
                "forecast": text.plural(round(forecast["forecast_next_7_days"]), "application") if forecast else "",
                "warning": (
                    "Views and conversion well below similar jobs"
                    if len(flags) == 2
                    else f"{flags[0].capitalize()} well below similar jobs"
                    if flags
                    else ""
                ),
                "url": f"{settings.KAZI_SITE_URL}/recruiter/jobs/{job.pk}/",
            }
        )
    return rows


def _waiting(applications, week: Week) -> list[dict]:
    waiting = (
        applications.filter(status=ApplicationStatus.PENDING, created_at__lt=week.end - WAITING_AFTER)
        .select_related("job", "candidate")
        .order_by("created_at", "id")[:WAITING_LISTED]
    )
    return [
        {
            "candidate": application.candidate.full_name,
            "job": application.job.title,
            "since": text.day(application.created_at),
        }
        for application in waiting
    ]


def company_week_report(company: Company, week: Week) -> dict:
    """Everything the mail says about one company's week, as words ready to print."""
    applications = Application.objects.filter(job__company_id=company.pk)
    this_week = applications.filter(created_at__gte=week.start, created_at__lt=week.end)
    received = this_week.count()
    before = applications.filter(created_at__gte=week.start - timedelta(days=7), created_at__lt=week.start).count()
    moves = dict(
        ApplicationStatusChange.objects.filter(
            application__job__company_id=company.pk, changed_at__gte=week.start, changed_at__lt=week.end
        )
        .exclude(new_status=ApplicationStatus.WITHDRAWN)
        .order_by()
        .values("new_status")
        .annotate(n=Count("id"))
        .values_list("new_status", "n")
    )
    waited = this_week.annotate(first_response_at=first_response_subquery()).aggregate(waited=Avg(response_wait()))[
        "waited"
    ]
    hours = hours_of(waited)
    return {
        "company": company.name,
        "week": week.label,
        "week_start": text.day(week.start),
        "received": text.plural(received, "application"),
        "received_change": _change(received, before),
        "moves": [
            {"stage": text.status_word(status), "count": text.plural(moves[status], "application")}
            for status in ApplicationStatus.values
            if moves.get(status)
        ],
        "first_response": "no answers yet" if hours is None else text.plural(round(hours, 1), "hour"),
        "jobs": _job_rows(company.pk, week, applications),
        "waiting": _waiting(applications, week),
        "dashboard_url": f"{settings.KAZI_SITE_URL}/dashboard/",
    }


def _recipients(company: Company) -> list[User]:
    recruiters = list(
        User.objects.filter(company=company, user_type=UserType.RECRUITER, is_active=True)
        .exclude(email="")
        .order_by("id")
    )
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(user__in=recruiters)}
    return [user for user in recruiters if email_wanted(preferences.get(user.pk), KIND)]


def weekly_report_send(company: Company, week: Week) -> int:
    """Queue this company's report for each of its recruiters who take it; the number queued (0 on a rerun: the
    key is per company, week and recruiter)."""
    recipients = _recipients(company)
    if not recipients:
        return 0
    report = company_week_report(company, week)
    queued = 0
    for user in recipients:
        queued += mail_queue(
            key=f"{KIND}:{company.pk}:{week.start:%Y-%m-%d}:{user.pk}",
            to=user.email,
            template="analytics/weekly_report",
            context={**report, "name": user.first_name or user.email},
            unsubscribe_url=unsubscribe_url(user_id=user.pk, kind=KIND),
        )
    return queued


def companies_to_report():
    """Companies with a recruiter and at least one job: the others would get an empty report."""
    return (
        Company.objects.filter(jobs__isnull=False, recruiters__user_type=UserType.RECRUITER, recruiters__is_active=True)
        .distinct()
        .order_by("id")
    )
