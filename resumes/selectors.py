"""Reads of resume import that views, consumers and events share."""

import uuid

from django.db.models import Q, QuerySet

from accounts.models import User
from marketplace.choices import DocumentType
from marketplace.selectors import documents_visible_to
from resumes.models import BulkImport, CandidateRecord


def candidate_records_visible_to(user: User) -> QuerySet[CandidateRecord]:
    """A company's own candidate records, and any shared with the user; admins see all."""
    records = CandidateRecord.objects.select_related("company")
    if user.is_admin:
        return records
    if not user.is_recruiter:
        return records.none()
    shared = Q(shares__shared_with=user)
    mine = Q(company_id=user.company_id) if user.company_id else Q(pk__in=[])
    return records.filter(mine | shared).distinct()


def bulk_imports_visible_to(user: User) -> QuerySet[BulkImport]:
    imports = BulkImport.objects.select_related("company")
    if user.is_admin:
        return imports
    if user.is_recruiter and user.company_id:
        return imports.filter(company_id=user.company_id)
    return imports.none()


def resume_progress_frame(document) -> dict:
    return {
        "type": "resume_progress",
        "resume_id": str(document.pk),
        "data": {
            "status": document.status,
            "progress": document.progress,
            "current_step": document.current_step,
            "error": document.error or None,
        },
    }


def resume_progress_for(user, resume_id: str) -> dict | None:
    """The current progress of a resume the user may watch, or None (unknown, or not theirs to see)."""
    try:
        uuid.UUID(resume_id)
    except ValueError:
        return None
    document = documents_visible_to(user).filter(pk=resume_id, document_type=DocumentType.RESUME).first()
    return None if document is None else resume_progress_frame(document)
