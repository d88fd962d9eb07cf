"""`manage.py mailcatcher`: the development SMTP catcher (core/mail/catcher.py) until Ctrl-C or SIGTERM."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from core.mail.catcher import catcher_start


class Command(BaseCommand):
    help = "Catch mail on a loopback SMTP port and keep it for the admin (Caught mail); for development only."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.KAZI_MAIL_CATCHER_PORT)

    def handle(self, *args, host: str, port: int, **options):
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        controller = catcher_start(host=host, port=port)
        self.stdout.write(f"Catching mail on smtp://{host}:{port}; read it at /admin/core/caughtmail/", ending="\n")
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            controller.stop()
