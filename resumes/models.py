"""Models of resume import: bulk imports, company candidate records and shares (registered in matcher.models)."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ImportOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    IMPORTED = "imported", "Imported"
    DUPLICATE = "duplicate", "Duplicate"
    FAILED = "failed", "Failed"


class BulkImport(models.Model):
    """One upload of many resumes by a recruiter; counters move as each file's parse ends."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    company = models.ForeignKey("marketplace.Company", on_delete=models.CASCADE, related_name="bulk_imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="bulk_imports"
    )
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    # Files refused before parsing ({"name", "outcome", "reason"}): they count in `processed` from the start.
    refused = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import of {self.total} files for {self.company}"

    @property
    def progress(self) -> int:
        return 100 if not self.total else round(100 * self.processed / self.total)


class CandidateRecord(models.Model):
    """A candidate a company holds without a login; linked to the seeker who registers with the same email."""

    company = models.ForeignKey("marketplace.Company", on_delete=models.CASCADE, related_name="candidate_records")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidate_records"
    )
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True, db_index=True)
    phone = models.CharField(max_length=40, blank=True)
    skills = models.JSONField(default=list, blank=True)
    skill_names = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    experience_years = models.PositiveSmallIntegerField(null=True, blank=True)
    job_titles = models.JSONField(default=list, blank=True)
    education = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    source_document = models.OneToOneField(
        "marketplace.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="candidate_record"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "email"], condition=~Q(email=""), name="one_candidate_record_per_email"
            )
        ]
        indexes = [GinIndex(fields=["skill_names"], name="candidate_record_skills_gin")]

    def __str__(self) -> str:
        return self.name or self.email or f"Candidate {self.pk}"


class CandidateShare(models.Model):
    """A recruiter or admin pointing another recruiter at a candidate (a seeker, or a company's record)."""

    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    shared_with = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidates_shared_with_me"
    )
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    record = models.ForeignKey(CandidateRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="shares")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seeker__isnull=False, record__isnull=True) | Q(seeker__isnull=True, record__isnull=False),
                name="share_names_one_candidate",
            )
        ]

    def __str__(self) -> str:
        return f"{self.seeker or self.record} → {self.shared_with}"
