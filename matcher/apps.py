from django.apps import AppConfig


class MatcherConfig(AppConfig):
    name = "matcher"
    verbose_name = "Marketplace"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from matcher import handlers, signals

        signals.job_opened.connect(handlers.on_job_opened, dispatch_uid="matcher.announce_job_matches")
