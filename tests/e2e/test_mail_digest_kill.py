"""A Celery worker SIGKILLed in the middle of sending the digests: after a restart every offline user has exactly
one digest mail (a real worker, real PostgreSQL and Redis, an SMTP server on loopback)."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from core.mail.tasks import requeue_stuck_mail
from core.models import MailStatus, OutgoingMail
from notifications.broadcaster import broadcaster
from notifications.models import Notification
from notifications.tasks import send_email_digests
from tests import factories
from tests.e2e.servers import CeleryWorker, server_env
from tests.mail import email_url_of, start_smtp
from tests.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

USERS = 12
KILLED_AT = 5  # the digest being sent when the worker dies


def test_a_worker_killed_mid_digest_leaves_each_user_exactly_one_digest(tmp_path):
    controller, sink = start_smtp()
    sink.hold_at = KILLED_AT
    env = server_env(settings.REDIS_URL)
    env.update(
        EMAIL_URL=email_url_of(controller),
        KAZI_CELERY_VISIBILITY_TIMEOUT="3",  # the killed worker's unacked tasks are handed out again soon
        KAZI_EMAIL_SENDING_TIMEOUT="4",  # and the mail it was sending counts as abandoned soon
    )
    users = [factories.SeekerFactory(email=f"away{n}@example.com") for n in range(USERS)]
    for user in users:
        broadcaster.publish(user_ids=[user.pk], event_type="application_status_changed", title=f"For {user.email}")
    # Nobody has a socket, and the notifications have waited a whole digest window.
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=settings.KAZI_EMAIL_DIGEST_MINUTES + 1))
    workers = []
    try:
        workers.append(CeleryWorker(env, tmp_path, name="worker-1"))
        send_email_digests.delay()
        assert sink.holding.wait(60), workers[0].log()
        workers[0].kill()  # SIGKILL mid-send: no ack, no goodbye, the row stays `sending`
        time.sleep(0.5)
        sink.release.set()  # the server never said "250 accepted": it drops that mail

        assert OutgoingMail.objects.count() == USERS  # the digests were recorded, each once
        assert OutgoingMail.objects.filter(status=MailStatus.SENDING).count() == 1
        assert len(sink.messages) == KILLED_AT - 1

        time.sleep(4.5)  # past the visibility timeout and the sending timeout, on the real clock
        workers.append(CeleryWorker(env, tmp_path, name="worker-2"))
        send_email_digests.delay()  # the next beat runs: nothing new to digest
        requeue_stuck_mail.delay()  # and the requeue finds the abandoned mail
        wait_until(
            lambda: OutgoingMail.objects.filter(status=MailStatus.SENT).count() == USERS,
            90,
            "every digest sent",
        )
        time.sleep(1)  # a duplicate would arrive now

        assert sink.discarded == 1
        recipients = sorted(str(message["To"]) for message in sink.messages)
        assert recipients == sorted(user.email for user in users)
        assert OutgoingMail.objects.count() == USERS
    finally:
        for worker in workers:
            worker.stop()
        controller.stop()
