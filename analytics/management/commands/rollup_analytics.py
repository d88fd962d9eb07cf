from datetime import UTC, datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from analytics import rollups


def _moment(raw: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"Not an ISO date-time: {raw!r} (for example 2026-01-31 or 2026-01-31T14:00)") from None
    return moment.replace(tzinfo=UTC) if timezone.is_naive(moment) else moment


class Command(BaseCommand):
    help = (
        "Roll up analytics events hour by hour: from --since (a backfill), else the hours since the last "
        "rollup. Safe to rerun: an hour rolled up again gets the same figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", type=_moment, help="ISO date-time (UTC unless it has an offset)")
        parser.add_argument("--until", type=_moment, help="stop before this hour (default: the current hour)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, since=None, until=None, no_progress=False, **options):
        hours = rollups.pending_hours(now=until, since=since)
        if since is not None and since > hours.end:
            raise CommandError("--since is after --until (or in the future).")
        for hour in tqdm(hours, total=len(hours), unit="hour", disable=no_progress, file=self.stderr):
            rollups.rollup_hour(hour)
        self.stdout.write(
            self.style.SUCCESS(
                f"Rolled up {len(hours)} hour(s) from {hours.start:%Y-%m-%d %H}:00 to {hours.end:%Y-%m-%d %H}:00 UTC."
            )
        )
