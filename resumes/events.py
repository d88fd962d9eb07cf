"""Who hears what of resume import: receivers of its signals that call the broadcaster."""

from marketplace.choices import DocumentStatus
from marketplace.selectors import recruiter_ids_of
from notifications import groups
from notifications.broadcaster import broadcaster
from notifications.frames import GENERIC
from notifications.models import Priority
from resumes import signals
from resumes.bulk import bulk_import_results
from resumes.selectors import resume_progress_frame


def on_resume_progressed(sender, document, **kwargs) -> None:
    broadcaster.publish_transient(to_groups=[groups.resume_group(document.pk)], frame=resume_progress_frame(document))


def on_resume_parse_finished(sender, document, **kwargs) -> None:
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


def on_bulk_import_progressed(sender, bulk_import, **kwargs) -> None:
    bulk = bulk_import
    if bulk.created_by_id is None:
        return
    broadcaster.publish_transient(
        to_groups=[groups.user_group(bulk.created_by_id)],
        frame={"type": "bulk_upload_progress", "bulk_id": str(bulk.pk), "data": _bulk_counts(bulk)},
    )


def on_bulk_import_finished(sender, bulk_import, **kwargs) -> None:
    bulk = bulk_import
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


def on_candidate_added(sender, record, **kwargs) -> None:
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


def on_candidate_shared(sender, share, **kwargs) -> None:
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


def connect() -> None:
    signals.resume_progressed.connect(on_resume_progressed, dispatch_uid="resumes.events.resume_progressed")
    signals.resume_parse_finished.connect(on_resume_parse_finished, dispatch_uid="resumes.events.resume_parse_finished")
    signals.bulk_import_progressed.connect(on_bulk_import_progressed, dispatch_uid="resumes.events.bulk_progressed")
    signals.bulk_import_finished.connect(on_bulk_import_finished, dispatch_uid="resumes.events.bulk_finished")
    signals.candidate_added.connect(on_candidate_added, dispatch_uid="resumes.events.candidate_added")
    signals.candidate_shared.connect(on_candidate_shared, dispatch_uid="resumes.events.candidate_shared")
