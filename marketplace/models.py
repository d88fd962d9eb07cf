import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone

from marketplace.choices import (
    ApplicationStatus,
    Availability,
    DocumentStatus,
    DocumentType,
    EmploymentType,
    ExperienceLevel,
    JobStatus,
    Visibility,
)


class Company(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    website = models.URLField(blank=True)
    location = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The recruiter who created it (or the longest-serving one, for companies older than owners): the one
    # who removes members. Null when they left or were erased; an admin then names another.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_companies"
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name


class JobSeekerProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
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
    # Public by default: a seeker joins a job marketplace to be found, and every seeker was findable before the
    # setting existed; the seeker sees it on their profile and narrows it (README "Candidate visibility").
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    # Candidate search's words: headline, skills and name, then summary, latest parsed resume, location (weights
    # A to D). Stored, so a search reads a GIN index; rebuilt by services.profile_search_refresh whenever one of
    # them changes (marketplace/handlers.py).
    search_vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            GinIndex(fields=["skill_names"], name="profile_skill_names_gin"),
            GinIndex(fields=["search_vector"], name="profile_search_vector_gin"),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class Job(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="jobs")
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="posted_jobs"
    )
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
    # Kept in step with the text and the lists by the service (skills.text_skills): matching reads it for every
    # open job on every rebuild, too often to extract from the description each time.
    skills_extracted = ArrayField(
        models.CharField(max_length=100),
        default=list,
        blank=True,
        editable=False,
        help_text="Skills the title and description name that the skill lists do not.",
    )
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
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="documents")
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
        "resumes.BulkImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
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
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications")
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
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.old_status} → {self.new_status}"


class ApplicationNote(models.Model):
    """A recruiter's note on an applicant: read by the recruiters of the job's company, never by the candidate."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note on {self.application}"


class Bookmark(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "job"], name="one_bookmark_per_job")]

    def __str__(self) -> str:
        return f"{self.user} ☆ {self.job}"


class SavedSearch(models.Model):
    """A seeker's /api/jobs/ search kept for alerts: `query` is the `search` text, `filters` the JobFilter params."""

    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=100)
    query = models.CharField(max_length=200, blank=True)
    # {"remote": "true", "skills": "Python,Django"}: the values as /api/jobs/ takes them, checked by the service.
    filters = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=True, help_text="Paused searches send no alerts.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["active"], name="saved_search_active", condition=models.Q(active=True))]
        verbose_name_plural = "saved searches"

    def __str__(self) -> str:
        return f"{self.name} ({self.seeker})"


class SavedSearchAlert(models.Model):
    """That a saved search alerted about a job: the unique pair keeps it to once, even if the job reopens."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="alerts")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="saved_search_alerts")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["saved_search", "job"], name="one_alert_per_search_and_job")]

    def __str__(self) -> str:
        return f"{self.saved_search} → {self.job}"


class CompanyInvitation(models.Model):
    """A company's recruiter invites an address to recruit for it; the mailed link accepts it, once."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    # Only a hash is stored: the mailed link is the one copy of the token, so a database reader cannot accept.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_accepted",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["company", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.company}"
