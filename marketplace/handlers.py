"""The marketplace's reactions to signals (its own and accounts'): a few lines each, the work in services."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from accounts import signals as account_signals
from accounts.models import User
from core.caching import invalidate
from marketplace import services, signals
from marketplace.choices import DocumentType
from marketplace.models import Company, Document, Job, JobSeekerProfile
from marketplace.tasks import alert_saved_searches


def on_user_registered(sender, user, **kwargs):
    if user.is_job_seeker:
        services.profile_for(user)


def queue_saved_search_alerts(sender, job, **kwargs):
    # Matching every saved search is slow work: after the commit, in a worker, so opening a job stays fast.
    transaction.on_commit(lambda: alert_saved_searches.delay(job.pk))


def on_job_or_company_changed(sender, **kwargs):
    invalidate("jobs", "trending")


# Candidate search reads a stored vector. Signals rather than calls in each service keep it right whatever
# writes the text (services, the admin, resume parsing, a name change through accounts); the refresh is an
# UPDATE, which sends no signal, so it cannot loop.
def on_profile_saved(sender, instance, **kwargs):
    services.profile_search_refresh(user_ids=[instance.user_id])


def on_user_saved(sender, instance, created, update_fields=None, **kwargs):
    named = update_fields is None or {"first_name", "last_name"} & set(update_fields)
    if not created and named and instance.is_job_seeker:
        services.profile_search_refresh(user_ids=[instance.pk])


def on_resume_changed(sender, instance, signal, **kwargs):
    # A resume counts once parsed; its many progress saves before that change nothing searchable.
    counts = signal is post_delete or instance.parsed_at is not None
    if counts and instance.document_type == DocumentType.RESUME and instance.company_id is None:
        services.profile_search_refresh(user_ids=[instance.owner_id])


def connect() -> None:
    post_save.connect(on_profile_saved, sender=JobSeekerProfile, dispatch_uid="marketplace.search.profile")
    post_save.connect(on_user_saved, sender=User, dispatch_uid="marketplace.search.user")
    for signal in (post_save, post_delete):
        signal.connect(
            on_resume_changed, sender=Document, dispatch_uid=f"marketplace.search.document.{signal is post_save}"
        )
    account_signals.user_registered.connect(on_user_registered, dispatch_uid="marketplace.user_registered")
    signals.job_opened.connect(queue_saved_search_alerts, dispatch_uid="marketplace.alert_saved_searches")
    for model in (Job, Company):
        for signal in (post_save, post_delete):
            signal.connect(
                on_job_or_company_changed,
                sender=model,
                dispatch_uid=f"marketplace.cache.{model.__name__}.{signal is post_save}",
            )
