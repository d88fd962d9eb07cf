from django.apps import AppConfig


class ResumesConfig(AppConfig):
    name = "resumes"
    verbose_name = "Resume import"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from resumes import events, handlers, socket

        events.connect()
        handlers.connect()
        socket.register()
