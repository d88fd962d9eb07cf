"""Company candidate records (imported resumes) and sharing candidates between recruiters."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.choices import UserType
from accounts.models import User
from marketplace.models import Document
from marketplace.selectors import candidates_visible_to
from marketplace.skills import lookup_keys
from resumes import signals
from resumes.fields import ParsedResume
from resumes.models import CandidateRecord, CandidateShare, ImportOutcome


def candidate_record_from_resume(*, document: Document, parsed: ParsedResume) -> CandidateRecord | None:
    """The company's record for an imported resume; a resume whose email the company holds is a duplicate.

    Sets the document's import outcome; the caller saves the document (it holds the row lock).
    """
    email = parsed.email
    if email:
        existing = CandidateRecord.objects.filter(company_id=document.company_id, email__iexact=email).first()
        if existing is not None:
            document.import_outcome = ImportOutcome.DUPLICATE
            document.import_reason = f"Same email ({email}) as the candidate {existing} imported before."
            return None
    seeker = User.objects.filter(email__iexact=email, user_type=UserType.JOB_SEEKER).first() if email else None
    record = CandidateRecord(
        company_id=document.company_id,
        user=seeker,
        name=parsed.name[:200],
        email=email,
        phone=parsed.phone[:40],
        skills=parsed.skills,
        skill_names=lookup_keys(parsed.skills),
        experience_years=parsed.experience_years,
        job_titles=parsed.job_titles,
        education=parsed.education,
        summary=parsed.summary,
        source_document=document,
        created_by_id=document.owner_id,
    )
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:  # a parse of the same email in the same batch committed first
        document.import_outcome = ImportOutcome.DUPLICATE
        document.import_reason = f"Same email ({email}) as another resume of this import."
        return None
    document.import_outcome, document.import_reason = ImportOutcome.IMPORTED, ""
    signals.candidate_added.send(sender=CandidateRecord, record=record)
    return record


def candidate_records_link(*, user: User) -> int:
    """A seeker who registers with an email the companies hold becomes those records' account."""
    if not user.is_job_seeker:
        return 0
    return CandidateRecord.objects.filter(email__iexact=user.email, user__isnull=True).update(user=user)


def _check_share(actor: User, recipient: User) -> None:
    if not (actor.is_recruiter or actor.is_admin):
        raise PermissionDenied("Only recruiters and admins share candidates.")
    if recipient.pk == actor.pk:
        raise ValidationError({"recipient_id": ["Share with another recruiter, not yourself."]})
    if not recipient.is_active or not (recipient.is_recruiter or recipient.is_admin):
        raise ValidationError({"recipient_id": ["Candidates are shared with an active recruiter."]})


@transaction.atomic
def candidate_share(
    *, actor: User, recipient: User, note: str = "", seeker: User | None = None, record: CandidateRecord | None = None
) -> CandidateShare:
    _check_share(actor, recipient)
    if (seeker is None) == (record is None):
        raise ValueError("share exactly one of a seeker or a record")
    if seeker is not None and not seeker.is_job_seeker:
        raise ValidationError({"candidate": ["Only job seekers are candidates."]})
    # A share must not carry a seeker past their `visibility`: the recipient has to be able to find them too.
    if seeker is not None and not candidates_visible_to(recipient).filter(user=seeker).exists():
        raise ValidationError({"recipient_id": ["This recruiter cannot see this candidate (their visibility)."]})
    share = CandidateShare.objects.create(
        shared_by=actor, shared_with=recipient, seeker=seeker, record=record, note=note.strip()[:2000]
    )
    signals.candidate_shared.send(sender=CandidateShare, share=share)
    return share
