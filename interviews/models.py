import uuid

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Value
from django.utils.timezone import now

from interviews.choices import ConnectionQuality, InterviewKind, InterviewStatus, ParticipantRole, Recommendation

# Imported here so that Django registers them with the app (they live in a module of their own).
from interviews.recording_models import Recording, RecordingChunk  # noqa: F401


def new_ical_uid() -> str:
    return f"{uuid.uuid4()}@kazi"


class Interview(models.Model):
    kind = models.CharField(max_length=10, choices=InterviewKind.choices, default=InterviewKind.INTERVIEW)
    # Both empty for a call (interview_schedule always sets them for an interview).
    application = models.ForeignKey(
        "marketplace.Application", null=True, blank=True, on_delete=models.CASCADE, related_name="interviews"
    )
    job = models.ForeignKey(
        "marketplace.Job", null=True, blank=True, on_delete=models.CASCADE, related_name="interviews"
    )
    # The direct conversation a call was started from: an id, not a key, so that interviews and chat stay apart.
    chat_conversation_id = models.UUIDField(null=True, blank=True, db_index=True)
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interviews_as_candidate"
    )
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interviews_organized",
        help_text="The recruiter who scheduled it; the ORGANIZER of the calendar invite.",
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Participant", related_name="interviews", blank=True
    )
    scheduled_at = models.DateTimeField(help_text="Start, stored in UTC.")
    duration = models.PositiveSmallIntegerField(help_text="Minutes.")
    # Stored rather than computed so that range queries (upcoming, conflicts, closing) use an index.
    ends_at = models.DateTimeField()
    timezone = models.CharField(max_length=64, default="UTC", help_text="IANA zone the times are shown in.")
    status = models.CharField(max_length=20, choices=InterviewStatus.choices, default=InterviewStatus.SCHEDULED)
    recording_enabled = models.BooleanField(default=False)
    ical_uid = models.CharField(max_length=100, unique=True, default=new_ical_uid, editable=False)
    # iCalendar SEQUENCE: bumped on every change a calendar must pick up (time, attendees, cancellation).
    sequence = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True, help_text="First join.")
    ended_at = models.DateTimeField(null=True, blank=True, help_text="When it was completed or marked no-show.")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        indexes = [
            models.Index(fields=["status", "scheduled_at"]),
            models.Index(fields=["status", "ends_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(duration__gt=0), name="interview_duration_positive"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("scheduled_at")), name="interview_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Interview #{self.pk} for {self.job_id} at {self.scheduled_at:%Y-%m-%d %H:%M}Z"


class Participant(models.Model):
    """One person's place in an interview, holding their time.

    `during` copies the interview's interval while it is active; the exclusion
    constraint makes PostgreSQL refuse a second active row of the same user whose
    interval overlaps, so two concurrent bookings of one slot cannot both commit.
    Intervals are half-open `[start, end)`: back-to-back interviews do not clash.
    """

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="participant_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interview_rows")
    role = models.CharField(max_length=20, choices=ParticipantRole.choices)
    during = DateTimeRangeField()
    active = models.BooleanField(default=True, help_text="Off once the interview is cancelled: the slot is free.")

    class Meta:
        ordering = ["interview", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "user"], name="one_participant_row_per_user"),
            # "Same user" as overlapping one-point ranges: GiST indexes ranges natively, so this needs no
            # btree_gist extension (the embedded PostgreSQL of `make run` ships without it).
            ExclusionConstraint(
                name="participant_no_overlapping_interviews",
                expressions=[
                    (Func(F("user"), F("user"), Value("[]"), function="int8range"), RangeOperators.OVERLAPS),
                    ("during", RangeOperators.OVERLAPS),
                ],
                condition=models.Q(active=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.user_id} in interview {self.interview_id}"


class Attendance(models.Model):
    """One stay in the interview room: from join to leave (open while `left_at` is empty)."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(default=now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "user"], condition=models.Q(left_at__isnull=True), name="one_open_attendance"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in interview {self.interview_id} from {self.joined_at:%H:%M}"


class Assessment(models.Model):
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="assessments")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField()
    feedback = models.TextField(blank=True)
    # [{"skill": "Python", "rating": 4}]
    technical_skills = models.JSONField(default=list, blank=True)
    soft_skills = models.JSONField(default=list, blank=True)
    overall_recommendation = models.CharField(max_length=20, choices=Recommendation.choices)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["interview", "interviewer"], name="one_assessment_per_interviewer"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="assessment_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.interviewer_id} on interview {self.interview_id}: {self.rating}/5"


class ReminderDelivery(models.Model):
    """A reminder that was sent. The unique key makes each one go out once per participant and start time;
    a rescheduled interview has a new start time, so its reminders are new ones."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    minutes_before = models.PositiveIntegerField()
    scheduled_at = models.DateTimeField(help_text="The start time the reminder was about.")
    sent_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name_plural = "reminder deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "user", "minutes_before", "scheduled_at"], name="one_reminder_per_moment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.minutes_before} min reminder of interview {self.interview_id} to {self.user_id}"


class ConnectionQualityReport(models.Model):
    """What a participant's browser measured of its call (WebRTC getStats), as reported."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="quality_reports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    quality = models.CharField(max_length=10, choices=ConnectionQuality.choices, default=ConnectionQuality.UNKNOWN)
    round_trip_ms = models.FloatField(null=True, blank=True)
    jitter_ms = models.FloatField(null=True, blank=True)
    packet_loss_percent = models.FloatField(null=True, blank=True)
    bitrate_kbps = models.FloatField(null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True, help_text="The rest of the report, bounded in size.")
    reported_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["interview", "user", "-reported_at"])]

    def __str__(self) -> str:
        return f"{self.quality} for {self.user_id} in interview {self.interview_id}"
