"""The marketplace's events in the contract's shapes, published through the broadcaster."""

from matcher.choices import DocumentStatus, JobStatus, UserType
from matcher.models import Application, Job
from matcher.selectors import recruiter_ids_of
from notifications import groups
from notifications.broadcaster import broadcaster
from notifications.frames import GENERIC
from notifications.models import Priority
from notifications.selectors import resume_progress_frame


def job_posted(job: Job) -> None:
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


def application_received(application: Application) -> None:
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


def application_status_changed(application: Application, old_status: str, new_status: str, changed_by) -> None:
    job = application.job
    by_candidate = changed_by is not None and changed_by.pk == application.candidate_id
    if by_candidate:
        recipients = recruiter_ids_of(job.company_id)
        message = f"{application.candidate.full_name} changed their application for {job.title} to {new_status}"
    else:
        recipients = [application.candidate_id]
        message = f"Your application for {job.title} at {job.company.name} is now {new_status}"
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


# --- resume import ---------------------------------------------------------------------
def resume_progress(document) -> None:
    broadcaster.publish_transient(to_groups=[groups.resume_group(document.pk)], frame=resume_progress_frame(document))


def resume_finished(document) -> None:
    """The owner's stored resume_completed / resume_failed; a bulk import's files report in its summary instead."""
    if document.bulk_import_id:
        return
    completed = document.status == DocumentStatus.COMPLETED
    filled = document.parsed_data.get("filled_fields", []) if completed else []
    if completed:
        message = f"Your resume {document.original_name} was read." + (
            f" Filled from it: {', '.join(filled)}." if filled else " Review its suggestions on your profile."
        )
    else:
        message = f"Your resume {document.original_name} could not be read: {document.error}"
    broadcaster.publish(
        user_ids=[document.owner_id],
        event_type=GENERIC,
        notification_type="resume_completed" if completed else "resume_failed",
        title="Resume processed" if completed else "Resume not processed",
        message=message,
        priority=Priority.NORMAL if completed else Priority.HIGH,
        payload={
            "resume_id": str(document.pk),
            "status": document.status,
            "filled_fields": filled,
            "error": document.error or None,
        },
        related=document,
    )


def _bulk_counts(bulk) -> dict:
    return {
        "bulk_id": str(bulk.pk),
        "total": bulk.total,
        "processed": bulk.processed,
        "imported": bulk.imported,
        "duplicates": bulk.duplicates,
        "failed": bulk.failed,
        "progress": bulk.progress,
    }


def bulk_upload_progress(bulk) -> None:
    if bulk.created_by_id is None:
        return
    broadcaster.publish_transient(
        to_groups=[groups.user_group(bulk.created_by_id)],
        frame={"type": "bulk_upload_progress", "bulk_id": str(bulk.pk), "data": _bulk_counts(bulk)},
    )


def bulk_upload_completed(bulk) -> None:
    from matcher.resumes.bulk import bulk_import_results

    if bulk.created_by_id is None:
        return
    not_imported = [
        {"name": r["name"], "outcome": r["outcome"], "reason": r["reason"]}
        for r in bulk_import_results(bulk)
        if r["outcome"] in ("duplicate", "failed")
    ]
    broadcaster.publish(
        user_ids=[bulk.created_by_id],
        event_type=GENERIC,
        notification_type="bulk_upload_completed",
        title="Resume import finished",
        message=(f"Imported {bulk.imported} of {bulk.total} files: {bulk.duplicates} duplicate, {bulk.failed} failed."),
        payload={**_bulk_counts(bulk), "not_imported": not_imported[:100]},
        related=bulk,
    )


def candidate_added(record) -> None:
    broadcaster.publish(
        user_ids=recruiter_ids_of(record.company_id),
        event_type=GENERIC,
        notification_type="candidate_added",
        title="New candidate",
        message=f"{record.name or record.email or 'A candidate'} was added to {record.company.name}'s candidates",
        priority=Priority.LOW,
        payload={
            "candidate_record_id": record.pk,
            "candidate_id": str(record.user_id) if record.user_id else None,
            "name": record.name,
            "email": record.email,
            "skills": list(record.skills[:10]),
        },
        related=record,
    )


def candidate_shared(share) -> None:
    candidate = share.seeker if share.seeker_id else share.record
    name = candidate.full_name if share.seeker_id else str(candidate)
    sharer = share.shared_by.full_name if share.shared_by_id else "Someone"
    broadcaster.publish(
        user_ids=[share.shared_with_id],
        event_type=GENERIC,
        notification_type="candidate_shared",
        title="Candidate shared with you",
        message=f"{sharer} shared the candidate {name} with you" + (f": {share.note}" if share.note else ""),
        payload={
            "candidate_id": str(share.seeker_id) if share.seeker_id else None,
            "candidate_record_id": share.record_id,
            "candidate_name": name,
            "shared_by": str(share.shared_by_id) if share.shared_by_id else None,
            "note": share.note,
        },
        related=share,
    )
