import uuid

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone

from matcher.choices import (
    ApplicationStatus,
    Availability,
    DocumentStatus,
    DocumentType,
    EmploymentType,
    ExperienceLevel,
    JobStatus,
    UserType,
)
from matcher.managers import UserManager


class Company(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    website = models.URLField(blank=True)
    location = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    user_type = models.CharField(max_length=20, choices=UserType.choices, default=UserType.JOB_SEEKER)
    company = models.ForeignKey(
        Company,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recruiters",
        help_text="The company a recruiter acts for.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["user_type"])]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        # The contract: staff and superusers are always admins.
        if self.is_staff or self.is_superuser:
            self.user_type = UserType.ADMIN
        # Emails are the login and are looked up case-insensitively: store one spelling, whoever saves.
        self.email = (self.email or "").lower()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    @property
    def is_job_seeker(self) -> bool:
        return self.user_type == UserType.JOB_SEEKER

    @property
    def is_recruiter(self) -> bool:
        return self.user_type == UserType.RECRUITER

    @property
    def is_admin(self) -> bool:
        return self.user_type == UserType.ADMIN or self.is_staff or self.is_superuser


class JobSeekerProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    headline = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    # [{"name": "Python", "level": "expert", "years": 5}]
    skills = models.JSONField(default=list, blank=True)
    # Lower-cased skill names, kept in step with `skills` by the service, for GIN lookups.
    skill_names = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    location = models.CharField(max_length=200, blank=True)
    experience_years = models.PositiveSmallIntegerField(default=0)
    experience_level = models.CharField(max_length=20, choices=ExperienceLevel.choices, blank=True)
    desired_salary_min = models.PositiveIntegerField(null=True, blank=True)
    desired_salary_max = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    preferred_employment_types = ArrayField(
        models.CharField(max_length=20, choices=EmploymentType.choices), default=list, blank=True
    )
    preferred_locations = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    remote = models.BooleanField(default=False, help_text="Open to remote work.")
    availability = models.CharField(max_length=20, choices=Availability.choices, default=Availability.IMMEDIATE)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [GinIndex(fields=["skill_names"], name="profile_skill_names_gin")]

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class Job(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="jobs")
    posted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="posted_jobs")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    location = models.CharField(max_length=200, blank=True)
    remote = models.BooleanField(default=False)
    employment_type = models.CharField(max_length=20, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME)
    experience_level = models.CharField(max_length=20, choices=ExperienceLevel.choices, default=ExperienceLevel.MID)
    salary_min = models.PositiveIntegerField(null=True, blank=True)
    salary_max = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    skills_required = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    skills_preferred = ArrayField(
        models.CharField(max_length=100), default=list, blank=True, help_text="Nice to have; weighs half."
    )
    # Lower-cased copy of skills_required for case-insensitive GIN lookups.
    skill_names = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    category = models.SlugField(max_length=50, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["category"]),
            GinIndex(fields=["skill_names"], name="job_skill_names_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(salary_min__isnull=True)
                | models.Q(salary_max__isnull=True)
                | models.Q(salary_min__lte=models.F("salary_max")),
                name="job_salary_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.company}"


class Document(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="documents")
    document_type = models.CharField(max_length=20, choices=DocumentType.choices)
    file = models.FileField(upload_to="documents/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.UPLOADED)
    progress = models.PositiveSmallIntegerField(default=0)
    current_step = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # What parsing found; kept beside the profile for the user to accept (never forced over their input).
    extracted_text = models.TextField(blank=True)
    parsed_data = models.JSONField(default=dict, blank=True)
    parsed_at = models.DateTimeField(null=True, blank=True)
    profile_filled_at = models.DateTimeField(null=True, blank=True)
    # Set for resumes a recruiter imported for their company.
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.CASCADE, related_name="imported_documents"
    )
    bulk_import = models.ForeignKey(
        "matcher.BulkImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    import_outcome = models.CharField(max_length=20, blank=True)
    import_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["company", "sha256"])]

    def __str__(self) -> str:
        return f"{self.get_document_type_display()}: {self.original_name}"

    @property
    def download_name(self) -> str:
        """The name the user gave, with the extension of what the content is (a PDF sent as cv.docx is cv.pdf)."""
        stem = self.original_name.rsplit(".", 1)[0] or "document"
        extension = self.file.name.rsplit(".", 1)[-1] if "." in self.file.name else ""
        return f"{stem}.{extension}" if extension else self.original_name


class Application(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="applications")
    candidate = models.ForeignKey(User, on_delete=models.CASCADE, related_name="applications")
    cover_letter = models.TextField(blank=True)
    resume = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications")
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["job", "candidate"], name="one_application_per_job")]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.job}"


class ApplicationStatusChange(models.Model):
    """Audit trail of the workflow; analytics read time-to-first-response from it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    new_status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    changed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.old_status} → {self.new_status}"


class Bookmark(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bookmarks")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "job"], name="one_bookmark_per_job")]

    def __str__(self) -> str:
        return f"{self.user} ☆ {self.job}"


class Recommendation(models.Model):
    """A stored top-N entry of a seeker, rebuilt nightly and on demand."""

    seeker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recommendations")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="recommendations")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    factors = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["seeker", "rank"]
        constraints = [models.UniqueConstraint(fields=["seeker", "job"], name="one_recommendation_per_job")]
        indexes = [models.Index(fields=["seeker", "rank"])]

    def __str__(self) -> str:
        return f"#{self.rank} {self.job_id} for {self.seeker_id}: {self.score:.1f}"


class FeedbackKind(models.TextChoices):
    RELEVANT = "relevant", "Relevant"
    NOT_RELEVANT = "not_relevant", "Not relevant"
    APPLIED = "applied", "Applied"
    DISMISSED = "dismissed", "Dismissed"


class RecommendationFeedback(models.Model):
    seeker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recommendation_feedback")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="recommendation_feedback")
    feedback = models.CharField(max_length=20, choices=FeedbackKind.choices)
    # The factor scores when the feedback was given: what learning the weights needs.
    factors = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["seeker", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.seeker_id} on {self.job_id}: {self.feedback}"


class MatchWeights(models.Model):
    """The factor weights in use; a new row each time they change (the admin shows the history)."""

    weights = models.JSONField()
    source = models.CharField(max_length=20, default="default", help_text="default, or fitted from feedback")
    metrics = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "match weights"

    def __str__(self) -> str:
        return f"{self.source} weights of {self.created_at:%Y-%m-%d}"


# Resume import's models live in their own module; Django finds them through this import.
from matcher.resumes.models import BulkImport, CandidateRecord, CandidateShare, ImportOutcome  # noqa: E402, F401
