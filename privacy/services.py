"""Writes of privacy that callers start: asking for a data export (its building is the worker's, export.py)."""

from django.db import IntegrityError, transaction

from accounts.models import User
from privacy.models import DataExport, ExportStatus
from privacy.tasks import build_data_export


@transaction.atomic
def data_export_request(*, user: User) -> tuple[DataExport, bool]:
    """A new export for the person, built by a worker after commit; while one is being built, that one
    (and False: nothing new was queued)."""
    pending = DataExport.objects.filter(user=user, status=ExportStatus.PENDING).first()
    if pending is not None:
        return pending, False
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user)
    except IntegrityError:
        # A simultaneous request won the one-pending-export constraint: answer with its export.
        return DataExport.objects.get(user=user, status=ExportStatus.PENDING), False
    export_id = export.pk
    transaction.on_commit(lambda: build_data_export.delay(export_id=export_id))
    return export, True
