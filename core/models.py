from django.db import models
from django.utils import timezone


class MailStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutgoingMail(models.Model):
    """One mail to send, written in the transaction of the change that causes it (core/mail).

    `key` names what the mail is about and for whom (`notification:42:7`): a second mail_queue with the same key
    is refused, so each (cause, recipient) gets one row, and the row's status makes the send happen once."""

    key = models.CharField(max_length=200, unique=True)
    to = models.CharField(max_length=254)
    template = models.CharField(max_length=100, help_text="templates/mail/<template>.subject.txt, .txt and .html")
    context = models.JSONField(default=dict, blank=True)
    # [{"filename", "mimetype", "content" (base64)}]: an attachment is rendered into the mail, not re-made later.
    attachments = models.JSONField(default=list, blank=True)
    unsubscribe_url = models.URLField(max_length=500, blank=True)
    # Made once at queue time: a resend after an unclear failure carries the same Message-ID, so mail systems
    # that de-duplicate by it show one mail.
    message_id = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker began sending it.")
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["status", "next_attempt_at"],
                name="outgoing_mail_unsent",
                condition=models.Q(status__in=["pending", "sending"]),
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.template} to {self.to} ({self.status})"


class CaughtMail(models.Model):
    """A mail received by the development catcher (`manage.py mailcatcher`), shown in the admin."""

    mail_from = models.CharField(max_length=254)
    to = models.TextField()
    subject = models.CharField(max_length=500, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    raw = models.TextField()
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "caught mail"

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
