"""Receivers of other apps' domain signals; each hands over to events.py (rule 6: a few lines each)."""

from notifications import events


def on_job_opened(sender, job, **kwargs):
    events.job_posted(job)


def on_application_created(sender, application, **kwargs):
    events.application_received(application)


def on_application_status_changed(sender, application, old_status, new_status, changed_by=None, **kwargs):
    events.application_status_changed(application, old_status, new_status, changed_by)
