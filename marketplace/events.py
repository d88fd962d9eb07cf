"""Who hears what of the marketplace, in the contract's shapes: receivers of its signals that call the broadcaster."""

from accounts.choices import UserType
from core.text import status_word
from marketplace import signals
from marketplace.choices import JobStatus
from marketplace.models import Application, Job
from marketplace.selectors import recruiter_ids_of
from notifications.broadcaster import broadcaster


def on_job_opened(sender, job: Job, **kwargs) -> None:
    if job.status != JobStatus.OPEN:
        return
    broadcaster.publish(
        role=UserType.JOB_SEEKER,
        event_type="job_posted",
        message=f"New job posted: {job.title} at {job.company.name}",
        payload={
            "job_id": str(job.pk),
            "job_title": job.title,
            "company": job.company.name,
            "location": "Remote" if job.remote and not job.location else job.location,
            "remote": job.remote,
            "data": {"skills_required": list(job.skills_required)},
        },
        related=job,
    )


def on_saved_searches_matched(sender, job: Job, saved_searches, **kwargs) -> None:
    """`job_alert` to the owner of each saved search the job matched (services.saved_search_alerts_send)."""
    for saved_search in saved_searches:
        broadcaster.publish(
            user_ids=[saved_search.seeker_id],
            event_type="job_alert",
            # No message: the contract's frame is the job and the search, and a message would become a field.
            payload={"job_id": str(job.pk), "job_title": job.title, "saved_search_id": str(saved_search.pk)},
            # The job, like match_score_calculated's: "what is there about this job" finds both.
            related=job,
        )


def on_application_created(sender, application: Application, **kwargs) -> None:
    job = application.job
    applicant = application.candidate
    broadcaster.publish(
        user_ids=recruiter_ids_of(job.company_id),
        event_type="application_received",
        message=f"New application received from {applicant.full_name} for {job.title}",
        payload={
            "application_id": str(application.pk),
            "job_id": str(job.pk),
            "job_title": job.title,
            "applicant_name": applicant.full_name,
            "applicant_id": str(applicant.pk),
        },
        related=application,
    )


def on_application_status_changed(
    sender, application: Application, old_status: str, new_status: str, changed_by=None, **kwargs
) -> None:
    job = application.job
    by_candidate = changed_by is not None and changed_by.pk == application.candidate_id
    if by_candidate:
        recipients = recruiter_ids_of(job.company_id)
        message = (
            f"{application.candidate.full_name} moved their application for {job.title} to {status_word(new_status)}"
        )
    else:
        recipients = [application.candidate_id]
        message = f"Your application for {job.title} at {job.company.name} moved to {status_word(new_status)}"
    broadcaster.publish(
        user_ids=recipients,
        event_type="application_status_changed",
        message=message,
        payload={
            "application_id": str(application.pk),
            "job_id": str(job.pk),
            "job_title": job.title,
            "old_status": old_status,
            "new_status": new_status,
        },
        related=application,
    )


def on_company_member_joined(sender, company, member, invited_by=None, **kwargs) -> None:
    broadcaster.publish(
        user_ids=recruiter_ids_of(company.pk),
        event_type="notification",
        notification_type="company_member_joined",
        title=f"{member.full_name} joined {company.name}",
        message=f"{member.full_name} accepted the invitation"
        + (f" from {invited_by.full_name}" if invited_by is not None else "")
        + f" and now recruits for {company.name}.",
        payload={"company_id": str(company.pk), "user_id": str(member.pk), "name": member.full_name},
        related=company,
    )


def on_company_member_removed(sender, company, member, removed_by, **kwargs) -> None:
    # The company's recruiters and the removed person: they learn why the company's pages closed to them.
    broadcaster.publish(
        user_ids=[*recruiter_ids_of(company.pk), member.pk],
        event_type="notification",
        notification_type="company_member_removed",
        title=f"{member.full_name} no longer recruits for {company.name}",
        message=f"{removed_by.full_name} removed {member.full_name} from {company.name}.",
        payload={"company_id": str(company.pk), "user_id": str(member.pk), "name": member.full_name},
        related=company,
    )


def connect() -> None:
    signals.job_opened.connect(on_job_opened, dispatch_uid="marketplace.events.job_opened")
    signals.saved_searches_matched.connect(
        on_saved_searches_matched, dispatch_uid="marketplace.events.saved_searches_matched"
    )
    signals.application_created.connect(on_application_created, dispatch_uid="marketplace.events.application_created")
    signals.application_status_changed.connect(
        on_application_status_changed, dispatch_uid="marketplace.events.application_status_changed"
    )
    signals.company_member_joined.connect(on_company_member_joined, dispatch_uid="marketplace.events.member_joined")
    signals.company_member_removed.connect(on_company_member_removed, dispatch_uid="marketplace.events.member_removed")
