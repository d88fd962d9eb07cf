from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class Notification(models.Model):
    """One stored event: for one user (`recipient`) or for a whole role (`audience`).

    A role broadcast such as `job_posted` is a single row that every member of
    the role sees; their read, acked and deleted state lives in NotificationReceipt.
    The id is the event id of the WebSocket protocol.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    audience = models.CharField(max_length=30, blank=True, help_text="The role a broadcast is addressed to.")
    event_type = models.CharField(max_length=50, help_text="The `type` of the WebSocket message.")
    notification_type = models.CharField(max_length=50, blank=True, help_text="For generic `notification` events.")
    title = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    data = models.JSONField(default=dict, blank=True, help_text="The event's own fields, as sent on the socket.")
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    related_object = GenericForeignKey("content_type", "object_id")
    channels = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    is_read = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True, help_text="When a socket acked it.")
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notif_recipient_id"),
            models.Index(fields=["audience", "-id"], name="notif_audience_id", condition=~models.Q(audience="")),
            models.Index(
                fields=["recipient", "is_read"], name="notif_recipient_unread", condition=models.Q(is_read=False)
            ),
            # The prune deletes expired events: found by this, not by reading every partition of the log.
            models.Index(fields=["expires_at"], name="notif_expires_at", condition=models.Q(expires_at__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(recipient__isnull=False) & models.Q(audience=""))
                | (models.Q(recipient__isnull=True) & ~models.Q(audience="")),
                name="notification_has_one_target",
            )
        ]

    def __str__(self) -> str:
        target = self.recipient_id and f"user {self.recipient_id}" or f"role {self.audience}"
        return f"#{self.pk} {self.event_type} → {target}"


class NotificationReceipt(models.Model):
    """A user's own state of a role broadcast (read, acked, deleted)."""

    # No foreign key in the database: the partitioned log has no unique key on `id` alone to point at (its key is
    # (id, created_at)). Django deletes receipts with their notification; dropping a partition deletes its own.
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="receipts", db_constraint=False
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notification", "user"], name="one_receipt_per_user")]
        indexes = [models.Index(fields=["user", "notification"])]

    def __str__(self) -> str:
        return f"receipt of #{self.notification_id} for user {self.user_id}"


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    muted_types = ArrayField(
        models.CharField(max_length=50),
        default=list,
        blank=True,
        help_text="Event types (or generic notification types) stored as read and not pushed.",
    )
    # The master switch of mail: off, nothing is mailed whatever `email_types` says.
    email_enabled = models.BooleanField(default=True)
    email_types = models.JSONField(
        default=dict, blank=True, help_text="{kind: true/false}: mail of each kind; absent kinds take the default."
    )
    # The offline digest (notifications/mailing.py): when the last one went out, and the highest event id that
    # it (or a skip while the user was online) has dealt with; later events are the next digest's.
    digest_sent_at = models.DateTimeField(null=True, blank=True)
    digested_through_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"preferences of {self.user}"


class EventLogHorizon(models.Model):
    """The highest event id ever pruned: a replay from below it would have gaps."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    pruned_through_id = models.BigIntegerField(default=0)
    pruned_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"pruned through #{self.pruned_through_id}"
