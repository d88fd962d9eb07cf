"""Predictive insight on a company's open jobs: each one's applications forecast for the next 7 days
(analytics/forecast.py) and a flag when its views or conversion fall well below its category's.

A fixed number of queries whatever the number of jobs: the daily applications of all the jobs in one, the
category peers and their totals in three more.
"""

from datetime import datetime, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from analytics import forecast, selectors
from marketplace.choices import JobStatus
from marketplace.models import Application, Job

HISTORY_DAYS = 28
# Below this many unique viewers a conversion rate is noise: no conversion flag.
MIN_VIEWERS_FOR_CONVERSION = 10


def _days_open(job: Job, now: datetime) -> float:
    return max(1.0, (now - (job.published_at or job.created_at)).total_seconds() / 86400)


def company_insights(company_id: int, *, now: datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    today = now.date()
    jobs = list(Job.objects.filter(company_id=company_id, status=JobStatus.OPEN).order_by("-created_at", "-id")[:100])
    if not jobs:
        return []
    first_day = today - timedelta(days=HISTORY_DAYS)
    daily: dict[int, dict] = {}
    # Whole days only, through yesterday: today's count so far would read as a collapse.
    for job_id, day, n in (
        Application.objects.filter(job__in=jobs, created_at__date__gte=first_day, created_at__date__lt=today)
        .annotate(day=TruncDate("created_at"))
        .order_by()
        .values("job_id", "day")
        .annotate(n=Count("id"))
        .values_list("job_id", "day", "n")
    ):
        daily.setdefault(job_id, {})[day] = n
    categories = {job.category for job in jobs if job.category}
    peers = list(Job.objects.filter(status=JobStatus.OPEN, category__in=categories)[:2000])
    totals = selectors.job_totals([job.pk for job in {*peers, *jobs}])

    def views_per_day(job: Job) -> float:
        return totals[job.pk].views / _days_open(job, now)

    rows = []
    for job in jobs:
        opened = (job.published_at or job.created_at).date()
        start = max(first_day, opened)
        history = [daily.get(job.pk, {}).get(start + timedelta(days=i), 0) for i in range((today - start).days)]
        others = [peer for peer in peers if peer.category == job.category and peer.pk != job.pk]
        figures = totals[job.pk]
        flags = []
        if forecast.well_below(views_per_day(job), [views_per_day(peer) for peer in others]):
            flags.append("views")
        converting = [
            totals[p.pk].conversion_rate for p in others if totals[p.pk].unique_views >= MIN_VIEWERS_FOR_CONVERSION
        ]
        if figures.unique_views >= MIN_VIEWERS_FOR_CONVERSION and forecast.well_below(
            figures.conversion_rate, converting
        ):
            flags.append("conversion")
        rows.append(
            {
                "job_id": job.pk,
                "title": job.title,
                "category": job.category,
                "days_of_history": len(history),
                "applications_last_7_days": sum(history[-forecast.HORIZON :]),
                "forecast_next_7_days": round(forecast.forecast_applications(history), 1),
                "views_per_day": round(views_per_day(job), 2),
                "conversion_rate": figures.conversion_rate,
                "below_category": flags,
            }
        )
    return rows
