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
