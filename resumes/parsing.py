"""The resume parse pipeline: one document from `uploaded` to `completed` or `failed`, with progress.

Runs in a Celery worker (or in-process for `import_resumes`). Each step is its own short
transaction so watchers see progress as it happens; the end is one transaction that
stores what was found, fills the profile or the company's candidate record, and stores
the owner's notification, so a crash anywhere before it leaves nothing half-done and a
rerun (the task is acked late and retried) finishes the same document exactly once.
"""

import logging
from datetime import date

from django.db import DatabaseError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from marketplace.choices import DocumentStatus
from marketplace.models import Document
from resumes import candidates, profile_fill, signals
from resumes import fields as resume_fields
from resumes.text import TextNotExtracted, extract_text

logger = logging.getLogger(__name__)

FINISHED = (DocumentStatus.COMPLETED, DocumentStatus.FAILED)
MAX_STORED_TEXT = 100_000


def _advance(document_id, progress: int, step: str) -> Document | None:
    """Move a document's progress forward (never back: a retried parse resumes the bar where it was)."""
    moved = Document.objects.filter(pk=document_id, status__in=[DocumentStatus.UPLOADED, DocumentStatus.PROCESSING])
    if not moved.update(
        status=DocumentStatus.PROCESSING, progress=Greatest(F("progress"), progress), current_step=step
    ):
        return None
    document = Document.objects.get(pk=document_id)
    signals.resume_progressed.send(sender=Document, document=document)
    return document


def document_parse(*, document_id, today: date | None = None) -> Document | None:
    """Parse a stored resume; safe to run again on the same document (a finished one is left alone)."""
    document = _advance(document_id, 5, "Starting")
    if document is None:
        return Document.objects.filter(pk=document_id).first()
    try:
        with document.file.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return _fail(document_id, "The file of this document is no longer stored.")

    _advance(document_id, 10, "Extracting text")
    try:
        text = extract_text(data)
    except TextNotExtracted as exc:
        return _fail(document_id, str(exc))
    except DatabaseError:
        raise
    except Exception as exc:  # a reader bug on an odd file must end the parse, not loop the worker
        logger.exception("resume text extraction failed for %s", document_id)
        return _fail(document_id, f"The document could not be read ({exc.__class__.__name__}).")

    step_progress = dict(zip(resume_fields.STEPS, (40, 55, 70, 85), strict=True))
    parsed = resume_fields.parse_resume(
        text, today=today, on_step=lambda label: _advance(document_id, step_progress[label], label)
    )
    _advance(document_id, 95, "Saving results")
    return _complete(document_id, text, parsed)


@transaction.atomic
def _complete(document_id, text: str, parsed: resume_fields.ParsedResume) -> Document:
    document = Document.objects.select_for_update().select_related("owner").get(pk=document_id)
    if document.status in FINISHED:
        return document
    now = timezone.now()
    document.extracted_text = text[:MAX_STORED_TEXT]
    document.parsed_data = parsed.as_dict()
    document.parsed_at = now
    if document.company_id:
        candidates.candidate_record_from_resume(document=document, parsed=parsed)
    elif document.profile_filled_at is None and document.owner.is_job_seeker:
        document.parsed_data["filled_fields"] = profile_fill.profile_fill_from_resume(
            user=document.owner, parsed=parsed
        )
        document.profile_filled_at = now
    document.status, document.progress, document.current_step, document.error = (
        DocumentStatus.COMPLETED,
        100,
        "Done",
        "",
    )
    document.save()
    _finished(document)
    return document


@transaction.atomic
def _fail(document_id, error: str) -> Document | None:
    document = Document.objects.select_for_update().select_related("owner").filter(pk=document_id).first()
    if document is None or document.status in FINISHED:
        return document
    document.status, document.current_step, document.error = DocumentStatus.FAILED, "Failed", error
    if document.company_id:
        document.import_outcome, document.import_reason = "failed", error
    document.save()
    _finished(document)
    return document


def document_parse_abandon(*, document_id, error: str) -> Document | None:
    return _fail(document_id, f"Parsing stopped after repeated errors: {error}"[:2000])


def _finished(document: Document) -> None:
    # Progress first, then the stored notification: the two reach the browser in that order.
    signals.resume_progressed.send(sender=Document, document=document)
    signals.resume_parse_finished.send(sender=Document, document=document)
