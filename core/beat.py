"""Copies the schedule (settings.KAZI_BEAT_SCHEDULE, from config/beat.py) into django-celery-beat's tables without
undoing what the admin changed."""

from django.apps import apps as global_apps
from django.conf import settings
from django.utils import timezone


def beat_sync(*, apps=global_apps) -> dict[str, list[str]]:
    """Create the periodic tasks that are missing; leave existing rows (admin edits) as they are.

    `apps` is a migration's historical registry when a migration calls it. Returns the names created
    and the names kept, and those whose row runs another task than config/beat.py names (told, not changed).
    """
    crontabs = apps.get_model("django_celery_beat", "CrontabSchedule")
    periodic_tasks = apps.get_model("django_celery_beat", "PeriodicTask")
    existing = {row.name: row for row in periodic_tasks.objects.filter(name__in=list(settings.KAZI_BEAT_SCHEDULE))}
    outcome: dict[str, list[str]] = {"created": [], "kept": [], "differs": []}
    for name, entry in settings.KAZI_BEAT_SCHEDULE.items():
        row = existing.get(name)
        if row is not None:
            outcome["kept"].append(name)
            if row.task != entry.task:
                outcome["differs"].append(name)
            continue
        crontab, _ = crontabs.objects.get_or_create(
            minute=entry.minute,
            hour=entry.hour,
            day_of_week=entry.day_of_week,
            day_of_month="*",
            month_of_year="*",
            timezone="UTC",
        )
        periodic_tasks.objects.create(
            name=name,
            task=entry.task,
            crontab=crontab,
            expire_seconds=entry.expire_seconds,
            description=entry.description,
            enabled=True,
        )
        outcome["created"].append(name)
    if outcome["created"]:
        # A running beat re-reads its schedule when this changes.
        apps.get_model("django_celery_beat", "PeriodicTasks").objects.update_or_create(
            ident=1, defaults={"last_update": timezone.now()}
        )
    return outcome
