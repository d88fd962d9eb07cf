"""The demo's video interview: one the demo recruiter and seeker can open right now in the room page."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from interviews.choices import InterviewStatus
from interviews.models import Interview
from interviews.services import interview_schedule
from marketplace import services
from marketplace.choices import ApplicationStatus, JobStatus
from marketplace.models import Application, Job

START_IN = timedelta(minutes=5)
DURATION_MINUTES = 120
_TO_SHORTLIST = (ApplicationStatus.REVIEWING, ApplicationStatus.SHORTLISTED)


@transaction.atomic
def ensure_demo_interview(recruiter: User, seeker: User) -> Interview | None:
    """An interview of the two that is open now or soon; scheduled anew when the last one has passed."""
    now = timezone.now()
    upcoming = (
        Interview.objects.filter(candidate=seeker, job__company_id=recruiter.company_id, ends_at__gt=now)
        .exclude(status__in=[InterviewStatus.CANCELLED, InterviewStatus.COMPLETED, InterviewStatus.NO_SHOW])
        .first()
    )
    if upcoming is not None:
        return upcoming
    application = _shortlisted_application(recruiter, seeker)
    if application is None:
        return None
    return interview_schedule(
        actor=recruiter, application=application, scheduled_at=now + START_IN, duration=DURATION_MINUTES
    )


def _shortlisted_application(recruiter: User, seeker: User) -> Application | None:
    applications = Application.objects.filter(candidate=seeker, job__company_id=recruiter.company_id)
    ready = applications.filter(status__in=[ApplicationStatus.SHORTLISTED, ApplicationStatus.INTERVIEW]).first()
    if ready is not None:
        return ready
    application = applications.filter(status=ApplicationStatus.PENDING).first()
    if application is None:
        applied = applications.values_list("job_id", flat=True)
        job = Job.objects.filter(company_id=recruiter.company_id, status=JobStatus.OPEN).exclude(pk__in=applied).first()
        if job is None:
            return None
        application = services.application_create(job=job, candidate=seeker, cover_letter="Happy to talk.")
    for status in _TO_SHORTLIST:
        application = services.application_change_status(application=application, new_status=status, actor=recruiter)
    return application
