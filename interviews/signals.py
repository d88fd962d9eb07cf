"""Signals of interviews, sent by its services inside their transaction, after the change is written.

`actor` is whoever made the change (None for the system); receivers tell the others.
"""

from django.dispatch import Signal

# kwargs: interview, actor, user_ids — these users were booked into the interview (a new one, or joined its panel)
interview_scheduled = Signal()
# kwargs: interview, actor, user_ids, previous_scheduled_at — the interview moved; user_ids were booked before
interview_rescheduled = Signal()
# kwargs: interview, actor, user_ids — these interviewers were taken off the panel of a scheduled interview
interviewers_removed = Signal()
# kwargs: interview, actor, user_ids, reason — the interview was cancelled; user_ids were its participants
interview_cancelled = Signal()
# kwargs: interview, user_ids, minutes_before — a reminder is due for these users (recorded as sent)
interview_reminder_due = Signal()
# kwargs: interview — the session ended with both sides having attended (status completed, ended_at set)
interview_completed = Signal()
# kwargs: recording, actor — a recruiter started recording the interview's call
recording_started = Signal()
# kwargs: recording, actor (None when the sweep closed an abandoned one) — the recording no longer takes chunks
recording_stopped = Signal()
# kwargs: interview — the interview is over (completed, no-show or cancelled): its room closes
interview_closed = Signal()
# kwargs: interview — a call from chat ended (completed) or was missed (cancelled, cancel_reason declined/missed)
call_finished = Signal()
