"""Matching's reactions to the marketplace's signals: slow work goes to Celery after commit, by id."""

from django.db import transaction

from marketplace import signals as marketplace_signals
from matcher.tasks import announce_job_matches


def on_job_opened(sender, job, **kwargs):
    transaction.on_commit(lambda: announce_job_matches.delay(job.pk))


def connect() -> None:
    marketplace_signals.job_opened.connect(on_job_opened, dispatch_uid="matcher.announce_job_matches")
