from django.apps import AppConfig


class MatcherConfig(AppConfig):
    name = "matcher"
    verbose_name = "Marketplace"
    default_auto_field = "django.db.models.BigAutoField"
