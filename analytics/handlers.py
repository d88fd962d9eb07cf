"""Receivers of other domains' signals: each records the analytics event of what just happened, in the
sender's transaction (rule 6: a few lines each)."""

from django.db import transaction

from analytics import live
from analytics.dashboard_cache import dashboards_invalidate
from analytics.models import EventType
from analytics.selectors import seeker_behaviour
from analytics.services import event_record
from analytics.tasks import announce_dashboards
from core.caching import invalidate
from interviews import signals as interview_signals
from marketplace import signals as marketplace_signals
from matcher import behaviour
from matcher import signals as matcher_signals


def on_application_created(sender, application, **kwargs):
    event_record(
        event_type=EventType.JOB_APPLY,
        user=application.candidate,
        job_id=application.job_id,
        metadata={"application_id": application.pk},
    )
    dashboards_invalidate(application)
    invalidate("trending")
    _dashboards_touched(application.job.company_id)


def on_application_status_changed(sender, application, **kwargs):
    dashboards_invalidate(application)
    _dashboards_touched(application.job.company_id)


def _dashboards_touched(company_id: int) -> None:
    if live.dashboard_frame_claim(company_id=company_id):
        transaction.on_commit(
            lambda: announce_dashboards.apply_async(kwargs={"company_id": company_id}, countdown=live.FRAME_SECONDS)
        )


def on_bookmark_added(sender, bookmark, **kwargs):
    event_record(event_type=EventType.JOB_BOOKMARK, user=bookmark.user, job_id=bookmark.job_id)
    invalidate("trending")


def on_recommendation_feedback(sender, feedback, **kwargs):
    event_record(
        event_type=EventType.RECOMMENDATION_FEEDBACK,
        user=feedback.seeker,
        job_id=feedback.job_id,
        metadata={"feedback": feedback.feedback},
    )


def on_interview_completed(sender, interview, **kwargs):
    held = (interview.ended_at - interview.started_at).total_seconds() / 60 if interview.started_at else 0
    event_record(
        event_type=EventType.INTERVIEW_COMPLETED,
        user=interview.candidate,
        job_id=interview.job_id,
        created_at=interview.ended_at,
        metadata={"interview_id": interview.pk, "duration": interview.duration, "minutes_held": round(held, 1)},
    )


def connect() -> None:
    # Matching weighs views and searches in its recent-activity factor; it sits below analytics and cannot ask.
    behaviour.register_source("analytics.views_and_searches", seeker_behaviour)
    marketplace_signals.application_created.connect(
        on_application_created, dispatch_uid="analytics.application_created"
    )
    marketplace_signals.application_status_changed.connect(
        on_application_status_changed, dispatch_uid="analytics.application_status_changed"
    )
    marketplace_signals.bookmark_added.connect(on_bookmark_added, dispatch_uid="analytics.bookmark_added")
    matcher_signals.recommendation_feedback_given.connect(
        on_recommendation_feedback, dispatch_uid="analytics.recommendation_feedback_given"
    )
    interview_signals.interview_completed.connect(on_interview_completed, dispatch_uid="analytics.interview_completed")
