"""Celery tasks of privacy: by id, through export.py and erasure.py, safe to run twice."""

from celery import Task, shared_task
from django.db import DatabaseError

from privacy.erasure import accounts_erase_due
from privacy.export import data_export_build, data_export_fail, data_exports_prune


class _ExportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Out of retries: say so on the export, so the person can ask for another.
        data_export_fail(export_id=kwargs["export_id"], error=f"{type(exc).__name__}: {exc}")


@shared_task(base=_ExportTask, acks_late=True, autoretry_for=(DatabaseError, OSError), retry_backoff=30, max_retries=5)
def build_data_export(*, export_id: int) -> bool:
    return data_export_build(export_id=export_id) is not None


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def erase_deleted_accounts() -> int:
    return accounts_erase_due()


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=3)
def prune_data_exports() -> int:
    return data_exports_prune()
