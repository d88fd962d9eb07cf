"""The periodic tasks of a fresh install, in django-celery-beat's tables (the one place schedules live: the
admin changes them under Periodic tasks, and beat reads them from there; settings hold none).

Each row has `expire_seconds`: a run that could not start within that time is dropped rather than piling up
behind the next one. Rows that already exist (by name) are left as the admin set them.
"""

from django.db import migrations
from django.utils import timezone

# name: (task, crontab (minute, hour), expire_seconds, description)
SCHEDULE = {
    "interview-reminders": (
        "interviews.tasks.send_interview_reminders",
        ("*/5", "*"),
        4 * 60,
        "Reminds both sides of interviews starting soon; every 5 minutes.",
    ),
    "close-stale-interviews": (
        "interviews.tasks.close_stale_interviews",
        ("*/5", "*"),
        4 * 60,
        "Marks interviews nobody joined as no-show and ended ones as completed; every 5 minutes.",
    ),
    "analytics-rollup-hourly": (
        "analytics.tasks.rollup_analytics",
        ("0", "*"),
        55 * 60,
        "Rolls up the analytics events of the hours since the last rollup; on the hour.",
    ),
    "learn-match-weights-nightly": (
        "matcher.tasks.learn_match_weights",
        ("30", "1"),
        6 * 3600,
        "Fits the match factor weights on recent recommendation feedback; kept only if they predict better.",
    ),
    "rebuild-recommendations-nightly": (
        "matcher.tasks.rebuild_recommendations",
        ("0", "2"),
        6 * 3600,
        "Rebuilds every seeker's stored top-50 recommendations at 02:00 UTC.",
    ),
    "prune-notifications-daily": (
        "notifications.tasks.prune_old_notifications",
        ("30", "3"),
        6 * 3600,
        "Deletes notifications older than KAZI_NOTIFICATION_RETENTION_DAYS.",
    ),
    "clear-expired-sessions-daily": (
        "analytics.tasks.clear_expired_sessions",
        ("45", "3"),
        6 * 3600,
        "Deletes expired Django sessions (kept in PostgreSQL).",
    ),
}


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, (task, (minute, hour), expire_seconds, description) in SCHEDULE.items():
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC"
        )
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={
                "task": task,
                "crontab": crontab,
                "expire_seconds": expire_seconds,
                "description": description,
                "enabled": True,
            },
        )
    # A running beat re-reads its schedule when this changes.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=list(SCHEDULE)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
