"""The marketplace's reactions to signals (its own and accounts'): a few lines each, the work in services."""

from django.db.models.signals import post_delete, post_save

from accounts import signals as account_signals
from core.caching import invalidate
from marketplace import services
from marketplace.models import Company, Job


def on_user_registered(sender, user, **kwargs):
    if user.is_job_seeker:
        services.profile_for(user)


def on_job_or_company_changed(sender, **kwargs):
    invalidate("jobs", "trending")


def connect() -> None:
    account_signals.user_registered.connect(on_user_registered, dispatch_uid="marketplace.user_registered")
    for model in (Job, Company):
        for signal in (post_save, post_delete):
            signal.connect(
                on_job_or_company_changed,
                sender=model,
                dispatch_uid=f"marketplace.cache.{model.__name__}.{signal is post_save}",
            )
