"""Receivers of the marketplace's own signals: slow work goes to Celery after commit, by id (rule 4)."""

from django.db import transaction


def on_job_opened(sender, job, **kwargs):
    from matcher.tasks import announce_job_matches

    transaction.on_commit(lambda: announce_job_matches.delay(job.pk))


def on_job_or_company_changed(sender, **kwargs):
    from config.caching import invalidate

    invalidate("jobs", "trending")
