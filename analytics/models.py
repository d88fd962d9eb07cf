"""Raw analytics events and the hourly rollups computed from them.

Events are append-only and written with one INSERT on the request path; every figure a dashboard shows is
read from the rollup tables, which `analytics.rollups` fills hour by hour with SQL aggregation.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class EventType(models.TextChoices):
    JOB_VIEW = "job_view", "Job viewed"
    JOB_APPLY = "job_apply", "Applied to a job"
    JOB_BOOKMARK = "job_bookmark", "Bookmarked a job"
    JOB_SEARCH = "job_search", "Searched jobs"
    PROFILE_VIEW = "profile_view", "Viewed a profile"
    RECOMMENDATION_FEEDBACK = "recommendation_feedback", "Recommendation feedback"
    INTERVIEW_COMPLETED = "interview_completed", "Interview completed"


# The events that are about one job: posting them without a job_id is a 400.
JOB_EVENT_TYPES = frozenset(
    {EventType.JOB_VIEW, EventType.JOB_APPLY, EventType.JOB_BOOKMARK, EventType.RECOMMENDATION_FEEDBACK}
)


class EventSource(models.TextChoices):
    # Applications and bookmarks are counted from the service's own events only, so a client that also
    # posts `job_apply` cannot count an application twice.
    CLIENT = "client", "Posted by a client"
    SERVICE = "service", "Recorded by the server"


class Event(models.Model):
    event_type = models.CharField(max_length=32, choices=EventType.choices)
    source = models.CharField(max_length=10, choices=EventSource.choices, default=EventSource.SERVICE)
    # SET_NULL keeps the platform's history when a user or job goes; the rollups simply stop seeing them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    job = models.ForeignKey(
        "marketplace.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The rollup reads one hour at a time; the composite ones serve the per-job and per-user reads.
            models.Index(fields=["created_at"], name="analytics_event_created"),
            models.Index(fields=["job", "created_at"], name="analytics_event_job_created"),
            models.Index(fields=["user", "created_at"], name="analytics_event_user_created"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} by {self.user_id} on {self.job_id} at {self.created_at:%Y-%m-%d %H:%M}"


class JobHourlyStats(models.Model):
    """One job's figures for one hour. `viewer_levels` / `viewer_locations` count that hour's distinct viewers
    by their profile's experience level and location (`unknown` when not given)."""

    job = models.ForeignKey("marketplace.Job", on_delete=models.CASCADE, related_name="+", db_index=False)
    hour = models.DateTimeField()
    views = models.PositiveIntegerField(default=0)
    unique_viewers = models.PositiveIntegerField(default=0)
    applications = models.PositiveIntegerField(default=0)
    bookmarks = models.PositiveIntegerField(default=0)
    viewer_levels = models.JSONField(default=dict, blank=True)
    viewer_locations = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-hour", "job_id"]
        verbose_name_plural = "job hourly stats"
        constraints = [models.UniqueConstraint(fields=["job", "hour"], name="one_job_stats_per_hour")]
        indexes = [models.Index(fields=["hour"], name="analytics_jobstats_hour")]

    def __str__(self) -> str:
        return f"job {self.job_id} at {self.hour:%Y-%m-%d %H}:00"


class JobViewer(models.Model):
    """Who has viewed a job (first time), so unique views over any period are a count, not a scan of events."""

    job = models.ForeignKey("marketplace.Job", on_delete=models.CASCADE, related_name="+", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    first_viewed_at = models.DateTimeField()

    class Meta:
        ordering = ["job_id", "first_viewed_at"]
        constraints = [models.UniqueConstraint(fields=["job", "user"], name="one_viewer_row_per_job")]

    def __str__(self) -> str:
        return f"{self.user_id} viewed {self.job_id}"


class UserHourlyStats(models.Model):
    """One user's activity in one hour. A session starts at an event more than 30 minutes after the user's
    previous one (or their first); it is counted in the hour it starts. `search_terms` and `job_types` map a
    normalized query / an employment type to how often it occurred."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    hour = models.DateTimeField()
    events = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    job_views = models.PositiveIntegerField(default=0)
    jobs_viewed = models.PositiveIntegerField(default=0, help_text="Distinct jobs viewed in the hour.")
    jobs_applied = models.PositiveIntegerField(default=0)
    searches = models.PositiveIntegerField(default=0)
    search_terms = models.JSONField(default=dict, blank=True)
    job_types = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-hour", "user_id"]
        verbose_name_plural = "user hourly stats"
        constraints = [models.UniqueConstraint(fields=["user", "hour"], name="one_user_stats_per_hour")]
        indexes = [models.Index(fields=["hour"], name="analytics_userstats_hour")]

    def __str__(self) -> str:
        return f"user {self.user_id} at {self.hour:%Y-%m-%d %H}:00"


class EventHourlyCount(models.Model):
    """Platform-wide events of one type in one hour, for the admins' events-per-hour chart."""

    hour = models.DateTimeField()
    event_type = models.CharField(max_length=32, choices=EventType.choices)
    events = models.PositiveIntegerField(default=0)
    users = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-hour", "event_type"]
        constraints = [models.UniqueConstraint(fields=["hour", "event_type"], name="one_event_count_per_hour")]

    def __str__(self) -> str:
        return f"{self.event_type} at {self.hour:%Y-%m-%d %H}:00: {self.events}"


class RollupWatermark(models.Model):
    """How far the hourly rollup has got: every hour before `computed_through` has been rolled up."""

    name = models.CharField(max_length=50, unique=True)
    computed_through = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} through {self.computed_through:%Y-%m-%d %H}:00"
