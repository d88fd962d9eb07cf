import os

from celery import Celery, signals

from core.metrics import celery_task_outcome

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("kazi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_configure.connect
def _start_embedded_services(**kwargs):
    # `celery -A config worker|beat` is an entry point: Celery reads its configuration, Django's settings with
    # it, before any other code of Kazi runs. In every other process an entry point has set the URLs already.
    # Imported here: config/__init__ imports this module, and `python -m config.embedded` must run it as __main__.
    from config import embedded

    embedded.ensure_services()


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
