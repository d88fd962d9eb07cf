from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """A person's data across every app: the export of it and its erasure after an account is deleted."""

    name = "privacy"
    verbose_name = "Privacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from privacy import events
        from privacy.checks import check_personal_data_inventory

        checks.register(check_personal_data_inventory, "privacy")
        events.connect()
