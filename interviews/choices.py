from django.db import models


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No show"


# A booked interview holds its participants' time while it is in one of these.
ACTIVE_STATUSES = (InterviewStatus.SCHEDULED, InterviewStatus.IN_PROGRESS)


class ParticipantRole(models.TextChoices):
    CANDIDATE = "candidate", "Candidate"
    INTERVIEWER = "interviewer", "Interviewer"
    # A call from a chat conversation: who rang, who was rung.
    CALLER = "caller", "Caller"
    CALLEE = "callee", "Callee"


class InterviewKind(models.TextChoices):
    INTERVIEW = "interview", "Interview"
    # The same room without an application or a schedule, started from a direct chat conversation.
    CALL = "call", "Call"


class Recommendation(models.TextChoices):
    STRONG_HIRE = "strong_hire", "Strong hire"
    HIRE = "hire", "Hire"
    NO_HIRE = "no_hire", "No hire"
    STRONG_NO_HIRE = "strong_no_hire", "Strong no hire"


class ConnectionQuality(models.TextChoices):
    EXCELLENT = "excellent", "Excellent"
    GOOD = "good", "Good"
    FAIR = "fair", "Fair"
    POOR = "poor", "Poor"
    UNKNOWN = "unknown", "Unknown"


class RecordingStatus(models.TextChoices):
    RECORDING = "recording", "Recording"
    # Stopped (or abandoned): the uploaded chunks wait to be assembled into one file.
    FINALIZING = "finalizing", "Finalizing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
