from django.apps import AppConfig


class CallsConfig(AppConfig):
    """Calls from chat: a direct conversation rings the other person into the interview room machinery.

    Glue above chat and interviews (which know nothing of each other): the ring, and the note a call
    leaves in its conversation. No tables of its own: a call is an Interview of kind `call`."""

    name = "calls"
    default_auto_field = "django.db.models.BigAutoField"
