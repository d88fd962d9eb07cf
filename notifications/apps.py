from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from matcher import signals as matcher_signals
        from notifications import handlers

        matcher_signals.job_opened.connect(handlers.on_job_opened, dispatch_uid="notifications.job_opened")
        matcher_signals.application_created.connect(
            handlers.on_application_created, dispatch_uid="notifications.application_created"
        )
        matcher_signals.application_status_changed.connect(
            handlers.on_application_status_changed, dispatch_uid="notifications.application_status_changed"
        )
        for signal_name in (
            "resume_progressed",
            "resume_parse_finished",
            "bulk_import_progressed",
            "bulk_import_finished",
            "candidate_added",
            "candidate_shared",
        ):
            getattr(matcher_signals, signal_name).connect(
                getattr(handlers, f"on_{signal_name}"), dispatch_uid=f"notifications.{signal_name}"
            )
