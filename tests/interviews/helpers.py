"""Building blocks of the interview tests: a company with a shortlisted candidate, bookings, clocks."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

from interviews import services
from interviews.models import Interview
from marketplace.choices import ApplicationStatus
from notifications.models import Notification
from tests import factories

SCHEDULE_URL = "/api/interview/schedule/"


def url(interview, suffix: str = "") -> str:
    pk = interview if isinstance(interview, int) else interview.pk
    return f"/api/interview/{pk}/{suffix}"


def calendar_url(interview) -> str:
    return f"/api/interview/{interview.pk}/calendar.ics"


def at(hour: int, minute: int = 0, *, day: int = 6) -> datetime:
    """A fixed moment in January 2031 (UTC): far enough ahead for the 'in the future' rule."""
    return datetime(2031, 1, day, hour, minute, tzinfo=UTC)


# A clock before every `at(...)` moment, for services that take `now`.
BEFORE = datetime(2031, 1, 1, tzinfo=UTC)


def soon(minutes: int) -> datetime:
    """A real-clock moment `minutes` from now, on a whole minute."""
    return (timezone.now() + timedelta(minutes=minutes)).replace(second=0, microsecond=0)


def shortlisted(job=None, candidate=None):
    job = job or factories.JobFactory()
    candidate = candidate or factories.SeekerFactory()
    return factories.ApplicationFactory(job=job, candidate=candidate, status=ApplicationStatus.SHORTLISTED)


def book(application, *, by, start: datetime, minutes: int = 60, panel=None, now: datetime = BEFORE) -> Interview:
    return services.interview_schedule(
        actor=by, application=application, scheduled_at=start, duration=minutes, interviewers=panel, now=now
    )


def schedule_body(application, start: datetime, minutes: int = 60, **extra) -> dict:
    return {
        "application_id": application.pk,
        "candidate_id": application.candidate_id,
        "job_id": application.job_id,
        "scheduled_at": start.isoformat().replace("+00:00", "Z"),
        "duration": minutes,
        **extra,
    }


def notices(user, notification_type: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, notification_type=notification_type).order_by("id"))
