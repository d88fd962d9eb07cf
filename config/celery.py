import os

from celery import Celery, signals

from core.metrics import celery_task_outcome

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("kazi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_success.connect(dispatch_uid="kazi.metrics.task_success")
def _count_success(sender=None, **kwargs):
    _count(sender, "success")


@signals.task_failure.connect(dispatch_uid="kazi.metrics.task_failure")
def _count_failure(sender=None, **kwargs):
    _count(sender, "failure")


@signals.task_retry.connect(dispatch_uid="kazi.metrics.task_retry")
def _count_retry(sender=None, **kwargs):
    _count(sender, "retry")


def _count(task, outcome: str) -> None:
    celery_task_outcome(getattr(task, "name", str(task)), outcome)
