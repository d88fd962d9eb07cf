"""Sending one recorded mail, once: claim the row, render, hand it to SMTP, mark it sent.

Claim: in a short transaction the row is locked with SKIP LOCKED and moved from `pending` to `sending` with
`claimed_at`, and that commits before any byte goes to SMTP. So two workers given the same id (a retry, a
redelivered task, the beat's requeue) never send it side by side: the second finds it `sending` and returns.
A failure that raises puts it back to `pending` for the retry. A worker killed mid-send cannot: its row
stays `sending`, and mail_requeue_stuck hands it out again once KAZI_EMAIL_SENDING_TIMEOUT has passed. If that
worker had not yet had SMTP's "250 accepted", the resend is the only copy; if it died in the instant after,
the recipient gets a second copy with the same Message-ID. That instant is the whole at-least-once window:
SMTP offers no way to ask a server whether it already took a mail. A timeout well above EMAIL_TIMEOUT means a
slow but live send is never doubled by the requeue.
"""

import base64
import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from core.models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

# A pending row the Celery retry has not picked up this long after it was due is queued again by the beat.
REQUEUE_GRACE = timedelta(minutes=2)
MAX_ATTEMPTS = 8


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2**attempts, 3600))


def sending_timeout() -> timedelta:
    """How long a `sending` row may go unfinished before its worker counts as dead (KAZI_EMAIL_SENDING_TIMEOUT)."""
    return timedelta(seconds=settings.KAZI_EMAIL_SENDING_TIMEOUT)


def mail_claim(*, mail_id: int) -> OutgoingMail | None:
    """The row, now `sending` and ours; None when it is sent, failed, or being sent by another worker."""
    now = timezone.now()
    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True)
            .filter(pk=mail_id)
            .filter(Q(status=MailStatus.PENDING) | Q(status=MailStatus.SENDING, claimed_at__lt=now - sending_timeout()))
            .first()
        )
        if mail is None:
            return None
        mail.status, mail.claimed_at, mail.attempts = MailStatus.SENDING, now, mail.attempts + 1
        mail.save(update_fields=["status", "claimed_at", "attempts"])
    return mail


def mail_message(*, mail: OutgoingMail) -> EmailMultiAlternatives:
    """The MIME message of a recorded mail: subject, plain text and HTML from its templates, attachments, headers."""
    context = {**mail.context, "site_url": settings.KAZI_SITE_URL, "unsubscribe_url": mail.unsubscribe_url}
    base = f"mail/{mail.template}"
    subject = " ".join(render_to_string(f"{base}.subject.txt", context).split())
    headers = {"Message-ID": mail.message_id}
    if mail.unsubscribe_url:
        # RFC 8058: a mail client may POST "List-Unsubscribe=One-Click" to the URL, with no page in between.
        headers["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{base}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
        headers=headers,
    )
    message.attach_alternative(render_to_string(f"{base}.html", context), "text/html")
    for attachment in mail.attachments:
        message.attach(attachment["filename"], base64.b64decode(attachment["content"]), attachment["mimetype"])
    return message


def _is_permanent(error: Exception) -> bool:
    """A refusal that a resend cannot change (5xx for the recipient or the message)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def mail_send(*, mail_id: int) -> bool:
    """Send the mail if nobody has: True when this call sent it. Raises on a failure worth retrying."""
    mail = mail_claim(mail_id=mail_id)
    if mail is None:
        return False
    mine = OutgoingMail.objects.filter(pk=mail.pk, status=MailStatus.SENDING, claimed_at=mail.claimed_at)
    try:
        message = mail_message(mail=mail)
    except Exception as error:
        # A missing template or a bad context fails the same way every time: no retry.
        logger.exception("mail #%s (%s) cannot be rendered", mail.pk, mail.template)
        mine.update(status=MailStatus.FAILED, last_error=repr(error)[:2000])
        return False
    try:
        message.send()
    except Exception as error:
        permanent = _is_permanent(error) or mail.attempts >= MAX_ATTEMPTS
        mine.update(
            status=MailStatus.FAILED if permanent else MailStatus.PENDING,
            next_attempt_at=timezone.now() + _backoff(mail.attempts),
            last_error=repr(error)[:2000],
        )
        if permanent:
            logger.error("mail #%s to %s failed for good: %r", mail.pk, mail.to, error)
            return False
        raise
    mine.update(status=MailStatus.SENT, sent_at=timezone.now(), last_error="")
    return True


def mail_requeue_stuck() -> list[int]:
    """Ids of mail to hand to a send task again: pending past their retry time (the task was lost, or retries ran
    out), and `sending` rows whose worker died (claimed more than KAZI_EMAIL_SENDING_TIMEOUT ago)."""
    now = timezone.now()
    stuck = OutgoingMail.objects.filter(
        Q(status=MailStatus.PENDING, next_attempt_at__lt=now - REQUEUE_GRACE)
        | Q(status=MailStatus.SENDING, claimed_at__lt=now - sending_timeout())
    )
    return list(stuck.order_by("id").values_list("id", flat=True)[:1000])


def mail_retry_failed(*, mail_ids: list[int]) -> list[int]:
    """Put failed mail back to `pending` (staff, from the admin, after fixing what failed them); their ids."""
    with transaction.atomic():
        ids = list(
            OutgoingMail.objects.select_for_update()
            .filter(pk__in=mail_ids, status=MailStatus.FAILED)
            .values_list("id", flat=True)
        )
        OutgoingMail.objects.filter(pk__in=ids).update(
            status=MailStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
    return ids


def mail_prune(*, older_than: datetime) -> int:
    """Delete sent and failed mail created before `older_than`: rows hold addresses and the words of each mail,
    kept only as long as staff may want to see what went out (KAZI_EMAIL_KEEP_DAYS)."""
    deleted, _ = OutgoingMail.objects.filter(
        created_at__lt=older_than, status__in=[MailStatus.SENT, MailStatus.FAILED]
    ).delete()
    return deleted
