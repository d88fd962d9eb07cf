from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.services import notifications_prune


class Command(BaseCommand):
    help = "Remove stored notifications older than --older-than DAYS (dropping whole day partitions) and expired ones."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=settings.KAZI_NOTIFICATION_RETENTION_DAYS, metavar="DAYS")

    def handle(self, *args, **options):
        days = options["older_than"]
        if days < 0:
            raise CommandError("--older-than must be zero or more days")
        deleted = notifications_prune(older_than=timezone.now() - timedelta(days=days))
        self.stdout.write(self.style.SUCCESS(f"Deleted {deleted} notification row(s) older than {days} day(s)."))
