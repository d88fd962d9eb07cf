"""Bulk resume import: many files (or ZIPs of them) become a company's candidate records.

Each accepted file is stored as a resume document of the company and parsed by the
same pipeline as a seeker's own upload; the import's counters move as each parse
ends, and the last one sends the summary notification.
"""

import hashlib
import io
import zipfile

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from marketplace.choices import DocumentType
from marketplace.file_types import detect_document_type
from marketplace.models import Company, Document
from resumes import signals
from resumes.archives import zip_members
from resumes.models import BulkImport, ImportOutcome
from resumes.tasks import parse_resume


def _is_zip(uploaded) -> bool:
    uploaded.seek(0)
    head = uploaded.read(4)
    uploaded.seek(0)
    # A DOCX is a ZIP too: it is a resume, not an archive of them.
    return head.startswith(b"PK") and detect_document_type(uploaded) is None


def _files_of(uploads, *, max_bytes: int, max_files: int):
    """(name, bytes or None, refusal) for every file in the upload, ZIPs opened one level deep."""
    count = 0
    for uploaded in uploads:
        name = (uploaded.name or "file").rsplit("/", 1)[-1]
        if _is_zip(uploaded):
            try:
                for member in zip_members(uploaded, max_member_bytes=max_bytes, max_members=max_files - count):
                    count += 1
                    yield member.name, member.data, member.refusal
            except zipfile.BadZipFile:
                count += 1
                yield name, None, "The ZIP archive is damaged and could not be opened."
            continue
        count += 1
        if count > max_files:
            yield name, None, f"An import takes at most {max_files} files."
        elif uploaded.size > max_bytes:
            yield name, None, f"The file is {uploaded.size} bytes; the limit of one file is {max_bytes} bytes."
        else:
            uploaded.seek(0)
            yield name, uploaded.read(), ""


def _refusal_of_content(data: bytes) -> str:
    if detect_document_type(io.BytesIO(data)) is not None:
        return ""
    if data.startswith(b"PK"):
        return "Archives inside the archive are not opened."
    return "Not a resume: only PDF, DOC and DOCX files are imported (judged by their content)."


def _check_importer(actor: User, company: Company) -> None:
    if not (actor.is_admin or (actor.is_recruiter and actor.company_id == company.pk)):
        raise PermissionDenied("Only the company's recruiters (or an admin) import resumes for it.")


@transaction.atomic
def bulk_import_create(*, actor: User | None, company: Company, uploads, queue_parsing: bool = True) -> BulkImport:
    """Store every acceptable resume of the upload for `company` and queue its parse; refuse the rest per file."""
    if actor is not None:
        _check_importer(actor, company)
    uploads = list(uploads)
    if not uploads:
        raise ValidationError({"files": ["Upload at least one file (PDF, DOC, DOCX, or a ZIP of them)."]})
    bulk = BulkImport.objects.create(company=company, created_by=actor)
    seen: dict[str, str] = {}
    stored: list[Document] = []
    refused: list[dict] = []
    files = _files_of(uploads, max_bytes=settings.KAZI_UPLOAD_MAX_BYTES, max_files=settings.KAZI_BULK_IMPORT_MAX_FILES)
    for name, data, refusal in files:
        refusal = refusal or _refusal_of_content(data)
        if refusal:
            refused.append({"name": name, "outcome": ImportOutcome.FAILED, "reason": refusal})
            continue
        digest = hashlib.sha256(data).hexdigest()
        earlier = seen.get(digest) or (
            Document.objects.filter(company=company, sha256=digest).values_list("original_name", flat=True).first()
        )
        if earlier:
            refused.append(
                {"name": name, "outcome": ImportOutcome.DUPLICATE, "reason": f"Same file as {earlier} (same content)."}
            )
            continue
        seen[digest] = name
        stored.append(_store(actor, company, bulk, name, data, digest))
    bulk.total = len(stored) + len(refused)
    bulk.processed = len(refused)
    bulk.duplicates = sum(r["outcome"] == ImportOutcome.DUPLICATE for r in refused)
    bulk.failed = len(refused) - bulk.duplicates
    bulk.refused = refused
    bulk.save()
    if not stored:
        _finish(bulk)
    elif queue_parsing:
        ids = [str(document.pk) for document in stored]
        transaction.on_commit(lambda: [parse_resume.delay(document_id) for document_id in ids])
    return bulk


def _store(actor, company: Company, bulk: BulkImport, name: str, data: bytes, digest: str) -> Document:
    detected = detect_document_type(io.BytesIO(data))
    base = name.replace("\\", "/").rsplit("/", 1)[-1][:255] or "resume"
    stem = base.rsplit(".", 1)[0]
    document = Document(
        owner=actor if actor is not None else _company_owner(company),
        document_type=DocumentType.RESUME,
        original_name=base,
        content_type=detected.mime,
        size=len(data),
        sha256=digest,
        company=company,
        bulk_import=bulk,
        import_outcome=ImportOutcome.PENDING,
    )
    # The stored name is made here, never taken from the archive: no member can choose where it lands.
    document.file.save(f"{slugify(stem)[:80] or 'resume'}.{detected.extension}", ContentFile(data), save=False)
    document.save()
    return document


def _company_owner(company: Company) -> User:
    owner = User.objects.filter(company=company, is_active=True).order_by("id").first()
    if owner is None:
        raise ValidationError({"company": ["The company has no recruiter to own the imported resumes."]})
    return owner


@transaction.atomic
def bulk_import_record_outcome(*, bulk_import_id, outcome: str) -> BulkImport:
    counter = {ImportOutcome.IMPORTED: "imported", ImportOutcome.DUPLICATE: "duplicates"}.get(outcome, "failed")
    BulkImport.objects.filter(pk=bulk_import_id).update(processed=F("processed") + 1, **{counter: F(counter) + 1})
    bulk = BulkImport.objects.select_for_update().get(pk=bulk_import_id)
    signals.bulk_import_progressed.send(sender=BulkImport, bulk_import=bulk)
    if bulk.processed >= bulk.total and bulk.finished_at is None:
        _finish(bulk)
    return bulk


def _finish(bulk: BulkImport) -> None:
    bulk.finished_at = timezone.now()
    bulk.save(update_fields=["finished_at"])
    signals.bulk_import_finished.send(sender=BulkImport, bulk_import=bulk)


def bulk_import_results(bulk: BulkImport) -> list[dict]:
    """Every file of the import with its outcome and reason, refused ones first."""
    parsed = [
        {
            "name": d.original_name,
            "document_id": str(d.pk),
            "outcome": d.import_outcome or ImportOutcome.PENDING,
            "reason": d.import_reason,
            "candidate_id": getattr(getattr(d, "candidate_record", None), "pk", None),
        }
        for d in bulk.documents.select_related("candidate_record").order_by("created_at", "pk")
    ]
    return [*bulk.refused, *parsed]
