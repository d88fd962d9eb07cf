"""The beat schedule (config/beat.py): created by migrate on an empty database, kept by sync_beat, and the tasks it
runs."""

import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.utils import timezone

from analytics import rollups, tasks
from analytics.models import Event, JobHourlyStats
from tests import factories
from tests.analytics.helpers import record

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {
    # name: (task, minute, hour)
    "interview-reminders": ("interviews.tasks.send_interview_reminders", "*/5", "*"),
    "close-stale-interviews": ("interviews.tasks.close_stale_interviews", "*/5", "*"),
    "sweep-recordings": ("interviews.tasks.sweep_recordings", "*", "*"),
    "delete-expired-recordings-daily": ("interviews.tasks.delete_expired_recordings", "20", "3"),
    "analytics-rollup-hourly": ("analytics.tasks.rollup_analytics", "0", "*"),
    "rebuild-recommendations-nightly": ("matcher.tasks.rebuild_recommendations", "0", "2"),
    "prune-notifications-daily": ("notifications.tasks.prune_old_notifications", "30", "3"),
    "event-log-partitions-hourly": ("notifications.tasks.ensure_event_log_partitions", "5", "*"),
    "clear-expired-sessions-daily": ("core.tasks.clear_expired_sessions", "45", "3"),
    "learn-match-weights-nightly": ("matcher.tasks.learn_match_weights", "30", "1"),
    "requeue-stuck-mail": ("core.mail.tasks.requeue_stuck_mail", "*", "*"),
    "erase-deleted-accounts-hourly": ("privacy.tasks.erase_deleted_accounts", "15", "*"),
    "prune-data-exports-daily": ("privacy.tasks.prune_data_exports", "50", "3"),
    "flush-expired-tokens-daily": ("accounts.tasks.flush_expired_tokens", "55", "3"),
    "email-digests": ("notifications.tasks.send_email_digests", "*", "*"),
    "prune-sent-mail-daily": ("core.mail.tasks.prune_sent_mail", "50", "3"),
    "weekly-recruiter-reports": ("analytics.tasks.send_weekly_reports", "0", "7"),
}
# Every other entry runs on every day of the week.
DAY_OF_WEEK = {"weekly-recruiter-reports": "1"}


@pytest.mark.e2e
@pytest.mark.django_db
def test_migrate_on_an_empty_database_creates_the_beat_schedule(empty_schema):
    url = empty_schema
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, capture_output=True
    )
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            """SELECT t.name, t.task, c.minute, c.hour, c.day_of_week, c.timezone, t.expire_seconds, t.enabled
               FROM django_celery_beat_periodictask t
               JOIN django_celery_beat_crontabschedule c ON c.id = t.crontab_id"""
        ).fetchall()
    schedule = {row[0]: row[1:] for row in rows}
    assert set(schedule) == set(EXPECTED)
    for name, (task, minute, hour) in EXPECTED.items():
        got_task, got_minute, got_hour, got_day, zone, expire_seconds, enabled = schedule[name]
        assert (got_task, got_minute, got_hour, zone, enabled) == (task, minute, hour, "UTC", True)
        assert got_day == DAY_OF_WEEK.get(name, "*"), name
        assert 0 < expire_seconds <= 6 * 3600, name


def test_the_scheduled_tasks_retry_with_backoff_and_are_acknowledged_late():
    from core import tasks as core_tasks
    from matcher import tasks as matcher_tasks
    from notifications import tasks as notification_tasks

    for task in (
        tasks.rollup_analytics,
        core_tasks.clear_expired_sessions,
        matcher_tasks.rebuild_recommendations,
        matcher_tasks.rebuild_recommendations_chunk,
        matcher_tasks.learn_match_weights,
        notification_tasks.prune_old_notifications,
        core_tasks.requeue_stuck_mail,
        core_tasks.prune_sent_mail,
        notification_tasks.send_email_digests,
        tasks.send_weekly_reports,
    ):
        assert task.acks_late and task.retry_backoff and task.max_retries, task.name
        assert task.autoretry_for, task.name


@pytest.mark.django_db
def test_the_rollup_task_rolls_up_and_is_safe_to_run_twice():
    seeker, job = factories.SeekerFactory(), factories.JobFactory()
    last_hour = rollups.floor_hour(timezone.now()) - timedelta(hours=1)
    record("job_view", seeker, job, hour=last_hour, minute=5)
    assert tasks.rollup_analytics.apply().get() == 1
    assert JobHourlyStats.objects.get(job=job, hour=last_hour).views == 1
    assert tasks.rollup_analytics.apply().get() == 1  # the last hour once more, for late commits
    assert JobHourlyStats.objects.get(job=job, hour=last_hour).views == 1
    assert Event.objects.count() == 1


@pytest.mark.django_db
def test_sync_beat_restores_a_deleted_task_and_keeps_what_the_admin_changed():
    from django.core.management import call_command
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    call_command("sync_beat", stdout=StringIO())  # tests that flush the database take migrate's rows away
    PeriodicTask.objects.filter(name="prune-notifications-daily").delete()
    edited = PeriodicTask.objects.get(name="analytics-rollup-hourly")
    edited.crontab = CrontabSchedule.objects.create(minute="15", hour="*", timezone="UTC")
    edited.enabled = False
    edited.save()

    out = StringIO()
    call_command("sync_beat", stdout=out)

    assert "created prune-notifications-daily" in out.getvalue()
    restored = PeriodicTask.objects.get(name="prune-notifications-daily")
    assert (restored.task, restored.crontab.minute, restored.crontab.hour) == (
        "notifications.tasks.prune_old_notifications",
        "30",
        "3",
    )
    edited.refresh_from_db()
    assert (edited.crontab.minute, edited.enabled) == ("15", False)
    assert PeriodicTask.objects.filter(name__in=list(EXPECTED)).count() == len(EXPECTED)
