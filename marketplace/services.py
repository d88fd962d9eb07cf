"""Writes of the marketplace: every state change of users, companies, jobs,
applications, bookmarks, profiles, documents and saved searches goes through here."""

import hashlib
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, F, Func, OuterRef, Subquery, TextField, Value
from django.db.models.functions import Concat
from django.db.models.query import EmptyQuerySet
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from core.exceptions import Conflict, PayloadTooLarge
from marketplace import selectors, signals
from marketplace.choices import SEARCH_CONFIG, DocumentType, JobStatus
from marketplace.file_types import detect_document_type
from marketplace.job_search import job_filters_clean, jobs_matching
from marketplace.models import (
    Application,
    ApplicationNote,
    ApplicationStatusChange,
    Bookmark,
    Company,
    Document,
    Job,
    JobSeekerProfile,
    SavedSearch,
    SavedSearchAlert,
)
from marketplace.skills import clean_skill_names, lookup_keys, text_skills
from marketplace.workflow import steps_to, transition_error
from notifications.selectors import recipient_ids_of


class UnsupportedDocumentType(Exception):
    pass


# --- profiles -------------------------------------------------------------------------
def profile_for(user: User) -> JobSeekerProfile:
    if not user.is_job_seeker:
        raise PermissionDenied("Only job seekers have a profile.")
    profile, _ = JobSeekerProfile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(*, profile: JobSeekerProfile, data: dict[str, Any]) -> JobSeekerProfile:
    data = dict(data)
    if "skills" in data:
        skills = _clean_profile_skills(data.pop("skills"))
        profile.skills = skills
        profile.skill_names = lookup_keys(s["name"] for s in skills)
    for field, value in data.items():
        setattr(profile, field, value)
    _check_range(profile.desired_salary_min, profile.desired_salary_max, "desired_salary_max")
    profile.save()
    return profile


def profile_search_refresh(*, user_ids: list[int]) -> int:
    """Rebuild the candidate-search vector of these seekers' profiles in one UPDATE; returns how many changed.

    The latest parsed resume is read in the same statement, so a resume parsed (or deleted) between the
    read and the write cannot leave the vector describing a resume the profile no longer has.
    """
    latest_resume_text = (
        Document.objects.filter(
            owner_id=OuterRef("user_id"), document_type=DocumentType.RESUME, parsed_at__isnull=False
        )
        .order_by("-parsed_at")
        .values("extracted_text")[:1]
    )
    full_name = User.objects.filter(pk=OuterRef("user_id")).values(name=Concat("first_name", Value(" "), "last_name"))[
        :1
    ]
    skill_text = Func(F("skill_names"), Value(" "), function="array_to_string", output_field=TextField())
    vector = (
        SearchVector("headline", weight="A", config=SEARCH_CONFIG)
        + SearchVector(skill_text, weight="A", config=SEARCH_CONFIG)
        + SearchVector(Subquery(full_name), weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector(Subquery(latest_resume_text), weight="C", config=SEARCH_CONFIG)
        + SearchVector("location", weight="D", config=SEARCH_CONFIG)
    )
    return JobSeekerProfile.objects.filter(user_id__in=user_ids).update(search_vector=vector)


def _clean_profile_skills(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_key: dict[str, dict[str, Any]] = {}
    for item in items:
        names = clean_skill_names([item["name"]])
        if names:
            by_key.setdefault(names[0].lower(), {**item, "name": names[0]})
    return list(by_key.values())


def _check_range(low: int | None, high: int | None, field: str) -> None:
    if low is not None and high is not None and low > high:
        raise ValidationError({field: ["The maximum must not be below the minimum."]})


# --- companies ----------------------------------------------------------------------
@transaction.atomic
def company_create(
    *, creator: User, name: str, slug: str = "", website: str = "", location: str = "", description: str = ""
) -> Company:
    if not (creator.is_recruiter or creator.is_admin):
        raise PermissionDenied("Only recruiters can create a company.")
    if creator.is_recruiter and creator.company_id is not None:
        raise Conflict("You already belong to a company; a recruiter acts for one company.")
    slug = slug or slugify(name)[:200]
    if not slug:
        raise ValidationError({"slug": ["A slug could not be made from this name; give one."]})
    if Company.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": ["A company with this slug already exists."]})
    try:
        with transaction.atomic():
            company = Company.objects.create(
                name=name, slug=slug, website=website, location=location, description=description
            )
    except IntegrityError:
        raise ValidationError({"slug": ["A company with this slug already exists."]}) from None
    if creator.is_recruiter:
        creator.company = company
        creator.save(update_fields=["company"])
        company.owner = creator
        company.save(update_fields=["owner"])
    return company


def company_update(*, company: Company, actor: User, data: dict[str, Any]) -> Company:
    if not can_manage_company(actor, company):
        raise PermissionDenied("Only the company's recruiters can change it.")
    if "slug" in data and Company.objects.filter(slug=data["slug"]).exclude(pk=company.pk).exists():
        raise ValidationError({"slug": ["A company with this slug already exists."]})
    for field, value in data.items():
        setattr(company, field, value)
    company.save()
    return company


def can_manage_company(user: User, company: Company) -> bool:
    return user.is_admin or (user.is_recruiter and user.company_id == company.pk)


# --- jobs -------------------------------------------------------------------------
@transaction.atomic
def job_create(*, company: Company, posted_by: User, **fields: Any) -> Job:
    if not can_manage_company(posted_by, company):
        raise PermissionDenied("Only the company's recruiters can post its jobs.")
    job = Job(company=company, posted_by=posted_by)
    _apply_job_fields(job, fields)
    if job.status == JobStatus.OPEN:
        # Open from the start: published when written (an import that dates it back keeps both lists agreeing).
        job.published_at = job.created_at
    job.save()
    if job.status == JobStatus.OPEN:
        signals.job_opened.send(sender=Job, job=job)
    return job


@transaction.atomic
def job_update(*, job: Job, actor: User, data: dict[str, Any]) -> Job:
    if not can_manage_company(actor, job.company):
        raise PermissionDenied("Only the company's recruiters can change its jobs.")
    job = Job.objects.select_for_update().select_related("company").get(pk=job.pk)
    was_open = job.status == JobStatus.OPEN
    _apply_job_fields(job, data)
    opened = job.status == JobStatus.OPEN and not was_open
    if opened and job.published_at is None:
        job.published_at = timezone.now()
    job.save()
    if opened:
        signals.job_opened.send(sender=Job, job=job)
    return job


def _apply_job_fields(job: Job, fields: dict[str, Any]) -> None:
    fields = dict(fields)
    fields.pop("company", None)
    if "skills_required" in fields:
        job.skills_required = clean_skill_names(fields.pop("skills_required"))
        job.skill_names = [name.lower() for name in job.skills_required]
    if "skills_preferred" in fields:
        job.skills_preferred = clean_skill_names(fields.pop("skills_preferred"))
    for field, value in fields.items():
        setattr(job, field, value)
    job.skills_extracted = text_skills(
        title=job.title, description=job.description, listed=[*job.skills_required, *job.skills_preferred]
    )
    _check_range(job.salary_min, job.salary_max, "salary_max")


def job_delete(*, job: Job, actor: User) -> None:
    if not can_manage_company(actor, job.company):
        raise PermissionDenied("Only the company's recruiters can delete its jobs.")
    job.delete()


# --- applications -------------------------------------------------------------------
@transaction.atomic
def application_create(
    *, job: Job, candidate: User, cover_letter: str = "", resume: Document | None = None
) -> Application:
    if not candidate.is_job_seeker:
        raise PermissionDenied("Only job seekers can apply.")
    if job.status != JobStatus.OPEN:
        raise ValidationError({"detail": "This job is not open for applications."})
    if resume is not None and (resume.owner_id != candidate.pk or resume.document_type != DocumentType.RESUME):
        raise ValidationError({"resume": ["Choose one of your own uploaded resumes."]})
    if Application.objects.filter(job=job, candidate=candidate).exists():
        raise ValidationError({"detail": "You have already applied to this job."})
    try:
        with transaction.atomic():
            application = Application.objects.create(
                job=job, candidate=candidate, cover_letter=cover_letter, resume=resume
            )
    except IntegrityError:
        # Two concurrent submissions: the unique constraint let exactly one through.
        raise ValidationError({"detail": "You have already applied to this job."}) from None
    signals.application_created.send(sender=Application, application=application)
    return application


@transaction.atomic
def application_change_status(*, application: Application, new_status: str, actor: User) -> Application:
    application = (
        Application.objects.select_for_update().select_related("job__company", "candidate").get(pk=application.pk)
    )
    as_candidate = application.candidate_id == actor.pk
    if not as_candidate and not can_manage_company(actor, application.job.company):
        raise PermissionDenied("You cannot change this application.")
    old_status = application.status
    error = transition_error(old_status, new_status, as_candidate=as_candidate)
    if error:
        raise ValidationError({"status": [error]})
    application.status = new_status
    application.save(update_fields=["status", "updated_at"])
    ApplicationStatusChange.objects.create(
        application=application, old_status=old_status, new_status=new_status, changed_by=actor
    )
    signals.application_status_changed.send(
        sender=Application,
        application=application,
        old_status=old_status,
        new_status=new_status,
        changed_by=actor,
    )
    return application


BULK_MOVE_LIMIT = 200


@transaction.atomic
def applications_change_status(
    *, application_ids: list[int], new_status: str, actor: User
) -> tuple[list[Application], list[dict]]:
    """Move several applications at once to `new_status`, each forward stage by stage (workflow.steps_to) or to
    rejected. In id order: two recruiters moving overlapping selections lock rows in the same order, so neither
    waits on the other in a cycle. One that may not move is skipped with the reason; the others still move."""
    visible = set(selectors.applications_visible_to(actor).filter(pk__in=application_ids).values_list("pk", flat=True))
    moved, skipped = [], []
    for application_id in sorted(set(application_ids)):
        if application_id not in visible:
            skipped.append({"id": application_id, "reason": "No such application among yours."})
            continue
        try:
            with transaction.atomic():
                moved.append(_walk(Application.objects.get(pk=application_id), new_status, actor))
        except (ValidationError, PermissionDenied) as refused:
            skipped.append({"id": application_id, "reason": _reason(refused)})
    return moved, skipped


def _walk(application: Application, target: str, actor: User) -> Application:
    path = steps_to(application.status, target)
    if not path:
        # Not ahead of where it is: the single move's own message says what is allowed.
        path = [target]
    for step in path:
        application = application_change_status(application=application, new_status=step, actor=actor)
    return application


def _reason(refused: ValidationError | PermissionDenied) -> str:
    if isinstance(refused, ValidationError):
        return refused.messages[0]
    return str(refused)


MAX_NOTE_LENGTH = 5000


@transaction.atomic
def application_note_add(*, application: Application, author: User, body: str) -> ApplicationNote:
    """A note on an applicant for the company's recruiters; the candidate never reads it."""
    if not can_manage_company(author, application.job.company):
        raise PermissionDenied("Only the job's company can note on its applicants.")
    body = body.strip()
    if not body:
        raise ValidationError({"body": ["Write something first."]})
    if len(body) > MAX_NOTE_LENGTH:
        raise ValidationError({"body": [f"Keep a note under {MAX_NOTE_LENGTH} characters."]})
    return ApplicationNote.objects.create(application=application, author=author, body=body)


# --- bookmarks ----------------------------------------------------------------------
@transaction.atomic
def bookmark_add(*, user: User, job: Job) -> tuple[Bookmark, bool]:
    if not user.is_job_seeker:
        raise PermissionDenied("Only job seekers can bookmark jobs.")
    bookmark, created = Bookmark.objects.get_or_create(user=user, job=job)
    if created:
        signals.bookmark_added.send(sender=Bookmark, bookmark=bookmark)
    return bookmark, created


def bookmark_remove(*, user: User, job: Job) -> bool:
    if not user.is_job_seeker:
        raise PermissionDenied("Only job seekers can bookmark jobs.")
    deleted, _ = Bookmark.objects.filter(user=user, job=job).delete()
    return deleted > 0


# --- documents ----------------------------------------------------------------------
@transaction.atomic
def document_create(*, owner: User, uploaded_file, document_type: str) -> Document:
    limit = settings.KAZI_UPLOAD_MAX_BYTES
    if uploaded_file.size > limit:
        raise PayloadTooLarge(f"The file is {uploaded_file.size} bytes; the limit is {limit} bytes.")
    detected = detect_document_type(uploaded_file)
    if detected is None:
        raise UnsupportedDocumentType("Only PDF, DOC and DOCX files are accepted (judged by their content).")
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    original_name = (uploaded_file.name or "document").rsplit("/", 1)[-1][:255]
    stem = original_name.rsplit(".", 1)[0] or "document"
    document = Document(
        owner=owner,
        document_type=document_type,
        original_name=original_name,
        content_type=detected.mime,
        size=uploaded_file.size,
        sha256=digest.hexdigest(),
    )
    # The stored name takes the extension of what the content is, not what it claimed.
    document.file.save(f"{slugify(stem)[:80] or 'document'}.{detected.extension}", uploaded_file, save=False)
    document.save()
    signals.document_uploaded.send(sender=Document, document=document)
    return document


def document_delete(*, document: Document, actor: User) -> None:
    if document.owner_id != actor.pk:
        raise PermissionDenied("Only the owner can delete a document.")
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- saved searches -----------------------------------------------------------------
def _saved_search_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {name: data[name] for name in ("name", "query", "filters", "active") if name in data}
    if "filters" in fields:
        fields["filters"] = job_filters_clean(fields["filters"])
    if "name" in fields and not str(fields["name"]).strip():
        raise ValidationError({"name": ["Give the search a name."]})
    return fields


@transaction.atomic
def saved_search_create(
    *, seeker: User, name: str, query: str = "", filters: dict[str, Any] | None = None, active: bool = True
) -> SavedSearch:
    if not seeker.is_job_seeker:
        raise PermissionDenied("Only job seekers can save searches.")
    fields = _saved_search_fields({"name": name, "query": query, "filters": filters or {}, "active": active})
    return SavedSearch.objects.create(seeker=seeker, **fields)


@transaction.atomic
def saved_search_update(*, saved_search: SavedSearch, actor: User, data: dict[str, Any]) -> SavedSearch:
    if saved_search.seeker_id != actor.pk:
        raise PermissionDenied("Only the owner can change a saved search.")
    fields = _saved_search_fields(data)
    for field, value in fields.items():
        setattr(saved_search, field, value)
    saved_search.save(update_fields=list(fields) or None)
    return saved_search


@transaction.atomic
def saved_search_delete(*, saved_search: SavedSearch, actor: User) -> None:
    if saved_search.seeker_id != actor.pk:
        raise PermissionDenied("Only the owner can delete a saved search.")
    saved_search.delete()


@transaction.atomic
def saved_search_alerts_send(*, job_id: int) -> int:
    """Alert the owners of the active saved searches a newly opened job matches, once per (search, job);
    returns how many were alerted. Run by a worker after the opening commits (marketplace.tasks).

    The job's row lock orders this with a second run and with the matcher's announcement of the same job
    (matcher.services.job_matches_announce, which takes the same lock): a seeker already told of the job by a
    match_score_calculated is not alerted again, and the announcement skips seekers alerted here."""
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status != JobStatus.OPEN:
        return 0  # closed again (or deleted) before the worker ran
    searches = saved_search_alerts_record(job=job)
    announced = recipient_ids_of(job, event_type="match_score_calculated")
    alerted = [search for search in searches if search.seeker_id not in announced]
    if alerted:
        signals.saved_searches_matched.send(sender=SavedSearch, job=job, saved_searches=alerted)
    return len(alerted)


def saved_search_alerts_record(*, job: Job) -> list[SavedSearch]:
    """Record which active saved searches an open job matches and has not alerted before; returns them.
    Called under the job's row lock (saved_search_alerts_send); the unique pair is the last guard."""
    if job.status != JobStatus.OPEN:
        return []
    candidates = list(SavedSearch.objects.filter(active=True, seeker__is_active=True).exclude(alerts__job=job))
    matched = _matching_search_ids(candidates, job)
    searches = [saved_search for saved_search in candidates if saved_search.pk in matched]
    SavedSearchAlert.objects.bulk_create(
        [SavedSearchAlert(saved_search=s, job=job) for s in searches], ignore_conflicts=True
    )
    return searches


# Searches asked about in one UNION: a query per search would make opening a job cost one round trip each.
_SEARCHES_PER_QUERY = 100


def _matching_search_ids(searches: list[SavedSearch], job: Job) -> set[int]:
    one_job = Job.objects.filter(pk=job.pk).order_by()
    matched: set[int] = set()
    for start in range(0, len(searches), _SEARCHES_PER_QUERY):
        parts = [
            jobs_matching(one_job, query=search.query, filters=search.filters)
            .annotate(search_id=Value(search.pk, output_field=BigIntegerField()))
            .values_list("search_id", flat=True)
            for search in searches[start : start + _SEARCHES_PER_QUERY]
        ]
        parts = [part for part in parts if not isinstance(part, EmptyQuerySet)]
        if parts:
            matched.update(parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0])
    return matched
