"""Receivers of the marketplace's signals and of the interviews' own slow work (rule 6: a few lines each, the
work in services and tasks)."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete

from interviews import services
from interviews import signals as interview_signals
from interviews.recording_models import Recording, RecordingChunk
from interviews.tasks import finalize_recording
from marketplace import signals as marketplace_signals
from marketplace.choices import ApplicationStatus

_CLOSED = {
    ApplicationStatus.WITHDRAWN: "The application was withdrawn.",
    ApplicationStatus.REJECTED: "The application was rejected.",
}


def on_application_status_changed(sender, application, old_status, new_status, changed_by=None, **kwargs):
    if new_status in _CLOSED:
        services.interviews_cancel_for_application(
            application=application, actor=changed_by, reason=_CLOSED[new_status]
        )


def on_recording_stopped(sender, recording, **kwargs):
    recording_id = recording.pk
    transaction.on_commit(lambda: finalize_recording.delay(recording_id=recording_id))


def on_recording_file_row_deleted(sender, instance, **kwargs):
    """However a recording or chunk row goes (its service, retention, the admin, an account erasure cascading
    from the interview), its file goes too, once the delete has surely committed."""
    name = instance.file.name if sender is Recording else instance.stored_name
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def connect() -> None:
    for model in (Recording, RecordingChunk):
        post_delete.connect(
            on_recording_file_row_deleted, sender=model, dispatch_uid=f"interviews.{model.__name__}_file_deleted"
        )
    interview_signals.recording_stopped.connect(on_recording_stopped, dispatch_uid="interviews.recording_stopped")
    marketplace_signals.application_status_changed.connect(
        on_application_status_changed, dispatch_uid="interviews.application_status_changed"
    )
