from datetime import UTC, date, datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from analytics import weekly_report


def _monday(raw: str) -> date:
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"Not an ISO date: {raw!r} (for example 2026-11-30)") from None
    if day.weekday() != 0:
        raise CommandError(f"{raw} is a {day:%A}; a report week starts on a Monday.")
    return day


class Command(BaseCommand):
    help = (
        "Mail each company's recruiters the weekly report of last week (or of --week). Safe to rerun: a recruiter "
        "gets each week's report once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--week", type=_monday, help="the Monday the week starts (default: last full week)")
        parser.add_argument("--company", type=int, help="only this company id")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, week=None, company=None, no_progress=False, **options):
        if week is None:
            span = weekly_report.last_full_week(timezone.now())
        else:
            start = datetime(week.year, week.month, week.day, tzinfo=UTC)
            span = weekly_report.Week(start=start, end=start + timedelta(days=7))
        companies = weekly_report.companies_to_report()
        if company is not None:
            companies = companies.filter(pk=company)
            if not companies.exists():
                raise CommandError(f"No company {company} with recruiters and jobs.")
        total = companies.count()
        queued = sum(
            weekly_report.weekly_report_send(row, span)
            for row in tqdm(companies.iterator(), total=total, unit="company", disable=no_progress, file=self.stderr)
        )
        self.stdout.write(self.style.SUCCESS(f"Week {span.label}: {queued} report(s) queued for {total} company(ies)."))
