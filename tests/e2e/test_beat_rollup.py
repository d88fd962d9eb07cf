"""A real Celery beat (database scheduler) and worker: a schedule row makes the hourly rollup happen."""

import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from analytics import rollups
from analytics.models import EventHourlyCount, JobHourlyStats
from tests import factories
from tests.analytics.helpers import record
from tests.e2e.servers import CeleryWorker, Process, server_env
from tests.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class CeleryBeat(Process):
    def __init__(self, env: dict, log_dir):
        super().__init__(
            "beat",
            [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO", "--max-interval", "1"],
            env,
            log_dir,
        )


def test_beat_sends_the_rollup_and_the_worker_rolls_up_the_last_hour(tmp_path):
    seeker, job = factories.SeekerFactory(), factories.JobFactory()
    last_hour = rollups.floor_hour(timezone.now()) - timedelta(hours=1)
    for minute in (1, 2, 3):
        record("job_view", seeker, job, hour=last_hour, minute=minute)
    # Only the shortened row runs: the real schedule's rows stay, disabled.
    PeriodicTask.objects.update(enabled=False)
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name="e2e-rollup", task="analytics.tasks.rollup_analytics", interval=every_second, expire_seconds=10
    )

    env = server_env(settings.REDIS_URL)
    started = []
    try:
        started.append(CeleryWorker(env, tmp_path))
        started.append(CeleryBeat(env, tmp_path))

        def rolled_up() -> bool:
            for process in started:
                assert process.alive(), f"{process.name} exited:\n{process.log()}"
            return JobHourlyStats.objects.filter(job=job).exists()

        try:
            wait_until(rolled_up, 30, "the rollup of the last hour", interval=0.5)
        except AssertionError as failure:
            raise AssertionError("\n\n".join([str(failure), *(process.log() for process in started)])) from None
        stats = JobHourlyStats.objects.filter(job=job).values_list("hour", "views", "unique_viewers").first()
        assert stats == (last_hour, 3, 1), "\n\n".join(p.log() for p in started)
        assert EventHourlyCount.objects.get(hour=last_hour, event_type="job_view").events == 3
        assert "Sending due task e2e-rollup (analytics.tasks.rollup_analytics)" in started[1].log()
    finally:
        for process in started:
            process.stop()
