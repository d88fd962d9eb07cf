"""Receivers of the marketplace's signals: each records the analytics event of what just happened, in the
sender's transaction (rule 6: a few lines each)."""

from analytics.dashboard_cache import dashboards_invalidate
from analytics.models import EventType
from analytics.services import event_record
from core.caching import invalidate


def on_application_created(sender, application, **kwargs):
    event_record(
        event_type=EventType.JOB_APPLY,
        user=application.candidate,
        job_id=application.job_id,
        metadata={"application_id": application.pk},
    )
    dashboards_invalidate(application)
    invalidate("trending")


def on_application_status_changed(sender, application, **kwargs):
    dashboards_invalidate(application)


def on_bookmark_added(sender, bookmark, **kwargs):
    event_record(event_type=EventType.JOB_BOOKMARK, user=bookmark.user, job_id=bookmark.job_id)
    invalidate("trending")
