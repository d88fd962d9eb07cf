"""Receivers of the marketplace's signals (rule 6: a few lines each, the work in services)."""

from interviews import services
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


def connect() -> None:
    marketplace_signals.application_status_changed.connect(
        on_application_status_changed, dispatch_uid="interviews.application_status_changed"
    )
