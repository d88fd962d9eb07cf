"""Writes of interviews: every state change goes through one of these."""

from interviews.services.assessments import assessment_submit
from interviews.services.calls import call_decline, call_minutes, call_open, call_start, calls_close_stale
from interviews.services.recordings import (
    recording_add_chunk,
    recording_delete,
    recording_finalize,
    recording_start,
    recording_stop,
    recordings_close_abandoned,
    recordings_delete_expired,
    recordings_stuck_finalizing,
)
from interviews.services.reminders import reminders_send_due
from interviews.services.scheduling import (
    InterviewConflict,
    interview_cancel,
    interview_schedule,
    interview_update,
    interviews_cancel_for_application,
)
from interviews.services.session import (
    connection_quality_record,
    interview_end,
    interview_join,
    interview_leave,
    interviews_close_stale,
)

__all__ = [
    "call_decline",
    "call_minutes",
    "call_open",
    "call_start",
    "calls_close_stale",
    "InterviewConflict",
    "assessment_submit",
    "connection_quality_record",
    "interview_cancel",
    "interview_end",
    "interview_join",
    "interview_leave",
    "interview_schedule",
    "interview_update",
    "interviews_cancel_for_application",
    "interviews_close_stale",
    "recording_add_chunk",
    "recording_delete",
    "recording_finalize",
    "recording_start",
    "recording_stop",
    "recordings_close_abandoned",
    "recordings_delete_expired",
    "recordings_stuck_finalizing",
    "reminders_send_due",
]
