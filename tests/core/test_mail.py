"""Outgoing mail through a real SMTP server on loopback: recorded once per key, sent once per row."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from config.env import email_url
from core.mail import mail_queue
from core.mail.sending import mail_requeue_stuck, mail_send, sending_timeout
from core.mail.tasks import prune_sent_mail, send_mail
from core.models import MailStatus, OutgoingMail
from tests import factories
from tests.mail import attachments_of, parts_of

pytestmark = pytest.mark.django_db


def queue(key="notification:1:1", **overrides) -> bool:
    arguments = dict(
        key=key,
        to="ada@example.com",
        template="notification",
        context={"title": "Hello <Ada>", "message": "Line one", "url": "http://127.0.0.1:8000/x/"},
        attachments=[("note.txt", b"attached bytes", "text/plain")],
        unsubscribe_url="http://127.0.0.1:8000/unsubscribe/abc/",
    )
    return mail_queue(**{**arguments, **overrides})


def test_a_queued_mail_is_sent_after_commit_with_both_parts_headers_and_attachments(
    smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert queue() is True
        assert smtp_server.messages == []  # nothing leaves before the commit

    assert len(callbacks) == 1
    [message] = smtp_server.messages
    assert message["Subject"] == "Hello <Ada>"
    assert message["To"] == "ada@example.com"
    assert message["List-Unsubscribe"] == "<http://127.0.0.1:8000/unsubscribe/abc/>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    parts = parts_of(message)
    assert "Line one" in parts["text/plain"] and "Hello <Ada>" in parts["text/plain"]
    assert "Hello &lt;Ada&gt;" in parts["text/html"]  # escaped in HTML, as is in text
    assert attachments_of(message) == [("note.txt", 'text/plain; charset="utf-8"', b"attached bytes")]
    mail = OutgoingMail.objects.get()
    assert (mail.status, mail.attempts, message["Message-ID"]) == (MailStatus.SENT, 1, mail.message_id)


def test_the_same_key_is_queued_once(smtp_server, django_capture_on_commit_callbacks, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        assert queue() is True
        assert queue() is False
        assert queue(key="notification:1:2") is True

    assert OutgoingMail.objects.count() == 2
    assert len(smtp_server.messages) == 2


def test_a_send_retried_after_the_server_dropped_the_connection_delivers_one_mail(smtp_server, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    queue()
    mail = OutgoingMail.objects.get()
    smtp_server.drop_next = 1

    # Eager Celery runs the retries at once, without the backoff's wait.
    assert send_mail.apply(kwargs={"mail_id": mail.pk}).get() is True

    assert smtp_server.dropped == 1
    assert len(smtp_server.messages) == 1
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 2)
    assert "SMTPServerDisconnected" in mail.last_error or mail.last_error == ""


def test_sending_twice_sends_once(smtp_server):
    queue()
    mail = OutgoingMail.objects.get()

    assert mail_send(mail_id=mail.pk) is True
    assert mail_send(mail_id=mail.pk) is False

    assert len(smtp_server.messages) == 1


def test_a_failed_attempt_goes_back_to_pending_for_the_retry(smtp_server):
    queue()
    mail = OutgoingMail.objects.get()
    smtp_server.drop_next = 1

    with pytest.raises(Exception, match="(?i)disconnect|closed"):
        mail_send(mail_id=mail.pk)

    mail.refresh_from_db()
    assert mail.status == MailStatus.PENDING and mail.next_attempt_at > timezone.now()
    assert mail_send(mail_id=mail.pk) is True
    assert len(smtp_server.messages) == 1


def test_a_row_being_sent_is_left_alone_until_its_worker_counts_as_dead(smtp_server):
    queue()
    mail = OutgoingMail.objects.get()
    # A worker claimed it and was killed before SMTP: the row stays `sending`.
    OutgoingMail.objects.filter(pk=mail.pk).update(status=MailStatus.SENDING, claimed_at=timezone.now())

    assert mail_send(mail_id=mail.pk) is False
    assert mail_requeue_stuck() == []

    OutgoingMail.objects.filter(pk=mail.pk).update(claimed_at=timezone.now() - sending_timeout() - timedelta(seconds=1))
    assert mail_requeue_stuck() == [mail.pk]
    assert mail_send(mail_id=mail.pk) is True
    assert len(smtp_server.messages) == 1


def test_a_pending_mail_whose_task_was_lost_is_requeued(smtp_server):
    queue()  # outside a captured commit: the task was never queued
    mail = OutgoingMail.objects.get()
    assert mail_requeue_stuck() == []

    OutgoingMail.objects.filter(pk=mail.pk).update(next_attempt_at=timezone.now() - timedelta(minutes=5))

    assert mail_requeue_stuck() == [mail.pk]


def test_a_missing_template_fails_the_mail_without_retrying(smtp_server):
    queue(template="no-such-template")
    mail = OutgoingMail.objects.get()

    assert mail_send(mail_id=mail.pk) is False

    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED and "no-such-template" in mail.last_error
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.com", ("mail.example.com", 25, "", "", False, False)),
        ("smtp+tls://u%40x:p%3Aw@mail.example.com:2525", ("mail.example.com", 2525, "u@x", "p:w", True, False)),
        ("smtp+ssl://user:pw@mail.example.com", ("mail.example.com", 465, "user", "pw", False, True)),
    ],
)
def test_email_url_is_read_into_django_settings(url, expected):
    parsed = email_url("EMAIL_URL", url)
    assert tuple(parsed.values()) == expected


@pytest.mark.parametrize(
    "url", ["mail.example.com", "http://mail.example.com", "smtp://", "smtp://h:notaport", "smtp://h/path"]
)
def test_a_bad_email_url_fails_loudly(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_url("EMAIL_URL", url)


def test_staff_see_outgoing_mail_in_the_admin_and_send_a_failed_one_again(smtp_server, client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    queue(template="no-such-template")
    mail = OutgoingMail.objects.get()
    mail_send(mail_id=mail.pk)
    client.force_login(factories.AdminFactory())

    page = client.get(f"/admin/core/outgoingmail/{mail.pk}/change/")
    assert page.status_code == 200 and b"note.txt (text/plain)" in page.content
    assert b"no-such-template" in page.content

    OutgoingMail.objects.filter(pk=mail.pk).update(template="notification")  # what was wrong is fixed
    response = client.post(
        "/admin/core/outgoingmail/", {"action": "send_again", "_selected_action": [mail.pk]}, follow=True
    )

    assert b"1 failed mail(s) queued again." in response.content
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT
    assert len(smtp_server.messages) == 1


def test_old_sent_and_failed_mail_is_pruned_and_unsent_mail_kept(smtp_server):
    for n, status in enumerate([MailStatus.SENT, MailStatus.FAILED, MailStatus.PENDING, MailStatus.SENDING]):
        queue(key=f"old:{n}")
        OutgoingMail.objects.filter(key=f"old:{n}").update(
            status=status, created_at=timezone.now() - timedelta(days=40)
        )
    queue(key="recent")
    OutgoingMail.objects.filter(key="recent").update(status=MailStatus.SENT)

    assert prune_sent_mail.apply().get() == 2

    assert sorted(OutgoingMail.objects.values_list("key", flat=True)) == ["old:2", "old:3", "recent"]
