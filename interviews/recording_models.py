"""Recordings of interview calls, kept apart from models.py so that the room's own models stay readable.

models.py imports these so that Django registers them in the `interviews` app; they name the interview
by its label, so this module imports nothing of models.py.
"""

from django.conf import settings
from django.db import models
from django.utils.timezone import now

from interviews.choices import RecordingStatus


class Recording(models.Model):
    """One recording of an interview call: the recruiter's browser uploads it in numbered chunks while it runs;
    stopping it (or the sweep, once chunks stop coming) assembles them into `file`."""

    interview = models.ForeignKey("interviews.Interview", on_delete=models.CASCADE, related_name="recordings")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=RecordingStatus.choices, default=RecordingStatus.RECORDING)
    started_at = models.DateTimeField(default=now)
    stopped_at = models.DateTimeField(null=True, blank=True)
    last_chunk_at = models.DateTimeField(null=True, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    abandoned = models.BooleanField(default=False, help_text="Finalized by the sweep: the recorder never stopped it.")
    chunk_count = models.PositiveIntegerField(default=0)
    received_bytes = models.BigIntegerField(default=0)
    file = models.FileField(upload_to="recordings/%Y/%m/", blank=True)
    size = models.BigIntegerField(default=0, help_text="Bytes of the assembled file.")
    duration_seconds = models.FloatField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["status", "last_chunk_at"]), models.Index(fields=["started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["interview"],
                condition=models.Q(status=RecordingStatus.RECORDING),
                name="one_running_recording_per_interview",
            )
        ]

    def __str__(self) -> str:
        return f"Recording #{self.pk} of interview {self.interview_id} ({self.status})"


class RecordingChunk(models.Model):
    """One piece of a running recording as uploaded, stored as a file until the recording is assembled."""

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="chunks")
    sequence = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_name = models.CharField(max_length=255)
    received_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["recording", "sequence"]
        constraints = [models.UniqueConstraint(fields=["recording", "sequence"], name="one_chunk_per_sequence")]

    def __str__(self) -> str:
        return f"Chunk {self.sequence} of recording {self.recording_id}"
