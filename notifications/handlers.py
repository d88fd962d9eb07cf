"""Receivers of other apps' domain signals; each hands over to events.py (rule 6: a few lines each)."""

from notifications import events


def on_job_opened(sender, job, **kwargs):
    events.job_posted(job)


def on_application_created(sender, application, **kwargs):
    events.application_received(application)


def on_application_status_changed(sender, application, old_status, new_status, changed_by=None, **kwargs):
    events.application_status_changed(application, old_status, new_status, changed_by)


def on_resume_progressed(sender, document, **kwargs):
    events.resume_progress(document)


def on_resume_parse_finished(sender, document, **kwargs):
    events.resume_finished(document)


def on_bulk_import_progressed(sender, bulk_import, **kwargs):
    events.bulk_upload_progress(bulk_import)


def on_bulk_import_finished(sender, bulk_import, **kwargs):
    events.bulk_upload_completed(bulk_import)


def on_candidate_added(sender, record, **kwargs):
    events.candidate_added(record)


def on_candidate_shared(sender, share, **kwargs):
    events.candidate_shared(share)
