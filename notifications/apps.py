from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The broadcaster, transport, hub and sockets: it knows no domain (each domain's events.py calls it)."""

    name = "notifications"
    default_auto_field = "django.db.models.BigAutoField"
