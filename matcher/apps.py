from django.apps import AppConfig


class MatcherConfig(AppConfig):
    name = "matcher"
    verbose_name = "Marketplace"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from matcher import handlers, signals
        from matcher.models import Company, Job

        signals.job_opened.connect(handlers.on_job_opened, dispatch_uid="matcher.announce_job_matches")
        for model in (Job, Company):
            for signal in (post_save, post_delete):
                signal.connect(
                    handlers.on_job_or_company_changed,
                    sender=model,
                    dispatch_uid=f"matcher.cache.{model.__name__}.{signal is post_save}",
                )
