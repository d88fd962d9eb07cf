from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from interviews import handlers
        from marketplace import signals as marketplace_signals

        marketplace_signals.application_status_changed.connect(
            handlers.on_application_status_changed, dispatch_uid="interviews.application_status_changed"
        )
