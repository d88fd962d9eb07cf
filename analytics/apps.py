from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from analytics import handlers
        from marketplace import signals as marketplace_signals

        marketplace_signals.application_created.connect(
            handlers.on_application_created, dispatch_uid="analytics.application_created"
        )
        marketplace_signals.application_status_changed.connect(
            handlers.on_application_status_changed, dispatch_uid="analytics.application_status_changed"
        )
        marketplace_signals.bookmark_added.connect(handlers.on_bookmark_added, dispatch_uid="analytics.bookmark_added")
