from django.conf import settings
from django.db import models
from django.utils import timezone


class ExportStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class DataExport(models.Model):
    """A ZIP of everything Kazi holds about a person, built by a worker; kept KAZI_DATA_EXPORT_DAYS."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    # In the default storage, which is not served: only the signed download URL hands it out.
    file = models.FileField(upload_to="exports/", blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "expires_at"])]
        constraints = [
            # One export in the making per person: asking again while it builds answers the same one.
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(status="pending"), name="one_pending_export_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"export #{self.pk} of user {self.user_id} ({self.status})"
