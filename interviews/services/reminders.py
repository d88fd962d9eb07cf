"""Interview reminders: each one reaches each participant once, whatever the ticks do.

Every tick looks at interviews starting within the longest reminder lead; each
interview is claimed with SKIP LOCKED in its own transaction, its due reminders
are written as ReminderDelivery rows (unique per interview, user, lead and start
time) and published in that same transaction. Two overlapping ticks therefore
never both send one, a retried tick finds the rows of what was sent, and a
rescheduled interview has a new start time, so only its new reminders are due.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from interviews import signals
from interviews.choices import ACTIVE_STATUSES, InterviewKind
from interviews.models import Interview, Participant, ReminderDelivery
from interviews.windows import due_reminders


def reminders_send_due(*, now: datetime | None = None, minutes: Iterable[int] | None = None) -> int:
    """Send every reminder due at `now`; the number of reminders sent (one per participant and lead)."""
    now = now or timezone.now()
    leads = tuple(minutes or settings.KAZI_INTERVIEW_REMINDERS_MINUTES)
    if not leads:
        return 0
    upcoming = Interview.objects.filter(
        kind=InterviewKind.INTERVIEW,
        status__in=ACTIVE_STATUSES,
        scheduled_at__gt=now,
        scheduled_at__lte=now + timedelta(minutes=max(leads)),
    ).order_by("scheduled_at")
    return sum(_remind(pk, now=now, leads=leads) for pk in upcoming.values_list("pk", flat=True))


@transaction.atomic
def _remind(pk: int, *, now: datetime, leads: tuple[int, ...]) -> int:
    interview = (
        Interview.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("job__company")
        .filter(pk=pk, status__in=ACTIVE_STATUSES)
        .first()
    )
    if interview is None:
        return 0  # Another tick holds it, or it was cancelled meanwhile.
    due = due_reminders(scheduled_at=interview.scheduled_at, now=now, minutes=leads)
    if not due:
        return 0
    user_ids = list(
        Participant.objects.filter(interview=interview, active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    already = set(
        ReminderDelivery.objects.filter(
            interview=interview, scheduled_at=interview.scheduled_at, minutes_before__in=due
        ).values_list("user_id", "minutes_before")
    )
    sent = 0
    for lead in due:
        recipients = [uid for uid in user_ids if (uid, lead) not in already]
        if not recipients:
            continue
        # The unique constraint is the last word: a duplicate aborts this transaction, event included.
        ReminderDelivery.objects.bulk_create(
            ReminderDelivery(
                interview=interview, user_id=uid, minutes_before=lead, scheduled_at=interview.scheduled_at, sent_at=now
            )
            for uid in recipients
        )
        signals.interview_reminder_due.send(
            sender=Interview, interview=interview, user_ids=recipients, minutes_before=lead
        )
        sent += len(recipients)
    return sent
