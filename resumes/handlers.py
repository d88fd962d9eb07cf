"""Resume import's reactions to other domains' signals: a few lines each, the work in services and tasks."""

from django.db import transaction

from accounts import signals as account_signals
from marketplace import signals as marketplace_signals
from marketplace.choices import DocumentType
from resumes import signals
from resumes.bulk import bulk_import_record_outcome
from resumes.candidates import candidate_records_link
from resumes.tasks import parse_resume


def on_user_registered(sender, user, **kwargs):
    if user.is_job_seeker:
        candidate_records_link(user=user)


def on_document_uploaded(sender, document, **kwargs):
    if document.document_type == DocumentType.RESUME:
        document_id = str(document.pk)
        transaction.on_commit(lambda: parse_resume.delay(document_id))


def on_resume_parse_finished(sender, document, **kwargs):
    # After the owner's notification (events connect first): a bulk import counts the file's outcome.
    if document.bulk_import_id:
        bulk_import_record_outcome(bulk_import_id=document.bulk_import_id, outcome=document.import_outcome)


def connect() -> None:
    account_signals.user_registered.connect(on_user_registered, dispatch_uid="resumes.link_candidate_records")
    marketplace_signals.document_uploaded.connect(on_document_uploaded, dispatch_uid="resumes.parse_uploaded_resume")
    signals.resume_parse_finished.connect(on_resume_parse_finished, dispatch_uid="resumes.count_bulk_outcome")
