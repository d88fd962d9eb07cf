"""What matching stores: each seeker's top-N, their feedback on it, and the factor weights in use."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from marketplace.models import Job


class Recommendation(models.Model):
    """A stored top-N entry of a seeker, rebuilt nightly and on demand."""

    seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendations")
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
    seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendation_feedback"
    )
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


class RecommendationRebuild(models.Model):
    """One nightly rebuild split into chunks of seekers that Celery workers score side by side.

    The chunks' rows say what is left to do, and whoever finishes the last one closes the run: no result
    backend and no chord unlock polling, and a worker that dies mid-chunk leaves its chunk to be redone."""

    task_id = models.CharField(max_length=64, unique=True, null=True, blank=True, help_text="the coordinator's")
    weights = models.JSONField(help_text="factor weights every chunk scores with, fixed when the run starts")
    top_n = models.PositiveSmallIntegerField()
    chunk_count = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seekers = models.PositiveIntegerField(default=0)
    jobs = models.PositiveIntegerField(default=0)
    pairs_scored = models.BigIntegerField(default=0)
    stored = models.BigIntegerField(default=0)
    removed = models.BigIntegerField(default=0, help_text="rows of seekers no longer active, deleted")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"rebuild {self.pk} of {self.started_at:%Y-%m-%d %H:%M}"


class RecommendationRebuildChunk(models.Model):
    """The seekers with ids in [first_seeker_id, last_seeker_id] (no upper end for the last chunk), so the
    chunks of a run cover every id: stored rows of any seeker no longer active fall in exactly one chunk."""

    rebuild = models.ForeignKey(RecommendationRebuild, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    first_seeker_id = models.BigIntegerField()
    last_seeker_id = models.BigIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    seekers = models.PositiveIntegerField(default=0)
    jobs = models.PositiveIntegerField(default=0)
    pairs_scored = models.BigIntegerField(default=0)
    stored = models.BigIntegerField(default=0)
    removed = models.BigIntegerField(default=0)
    seconds = models.FloatField(default=0.0)

    class Meta:
        ordering = ["rebuild", "index"]
        constraints = [models.UniqueConstraint(fields=["rebuild", "index"], name="one_chunk_per_index")]

    def __str__(self) -> str:
        return f"chunk {self.index} of rebuild {self.rebuild_id}"
