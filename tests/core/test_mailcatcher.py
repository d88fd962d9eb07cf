"""The development mail catcher: what `make run` sends with no EMAIL_URL is kept and readable in the admin."""

import os
import signal
import smtplib
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.mail import EmailMultiAlternatives

from core.mail.catcher import catcher_start
from core.models import CaughtMail
from tests import factories
from tests.e2e import servers
from tests.mail import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def catcher(settings):
    port = free_port()
    controller = catcher_start(host="127.0.0.1", port=port)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    try:
        yield port
    finally:
        controller.stop()


@pytest.mark.django_db(transaction=True)  # the catcher writes from its own thread and connection
def test_caught_mail_is_listed_in_the_admin_with_clickable_links(catcher, client):
    message = EmailMultiAlternatives(
        subject="Reset your password",
        body="Open http://127.0.0.1:8000/reset/MQ/abc-123/ to choose a new password.",
        to=["ada@example.com"],
    )
    message.attach_alternative('<p><a href="http://127.0.0.1:8000/reset/MQ/abc-123/">Reset</a></p>', "text/html")
    message.send()

    caught = CaughtMail.objects.get()
    assert (caught.to, caught.subject) == ("ada@example.com", "Reset your password")
    assert "reset/MQ/abc-123/" in caught.text and "<a href=" in caught.html

    client.force_login(factories.AdminFactory())
    listing = client.get("/admin/core/caughtmail/")
    assert listing.status_code == 200 and b"Reset your password" in listing.content
    page = client.get(f"/admin/core/caughtmail/{caught.pk}/change/")
    assert page.status_code == 200
    assert b'<a href="http://127.0.0.1:8000/reset/MQ/abc-123/"' in page.content


@pytest.mark.django_db(transaction=True)
def test_the_mailcatcher_command_catches_until_terminated():
    port = free_port()
    env = {**os.environ, "DJANGO_DEBUG": "1", "KAZI_MAIL_CATCHER_PORT": str(port)}
    env["DATABASE_URL"] = servers.test_database_url()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "mailcatcher"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert "Catching mail on smtp://127.0.0.1:" in process.stdout.readline()
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.sendmail("kazi@example.com", ["bob@example.com"], b"Subject: Hi\r\n\r\nHello Bob\r\n")
        deadline = time.monotonic() + 10
        while not CaughtMail.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert CaughtMail.objects.get().text.strip() == "Hello Bob"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
