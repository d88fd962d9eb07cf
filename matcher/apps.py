from django.apps import AppConfig


class MatcherConfig(AppConfig):
    name = "matcher"
    verbose_name = "Matching"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from matcher import events, handlers

        events.connect()
        handlers.connect()
