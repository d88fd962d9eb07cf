"""Reads of the marketplace that views, consumers and other apps share.

Each `*_visible_to` returns only what the user may see, so that another
user's object is simply not found (404), never forbidden (403).
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.choices import UserType
from accounts.models import User
from marketplace.choices import JobStatus
from marketplace.models import Application, Document, Job, JobSeekerProfile, SavedSearch, SavedSearchAlert


def jobs_visible_to(user: User) -> QuerySet[Job]:
    jobs = Job.objects.select_related("company")
    if user.is_authenticated and user.is_admin:
        return jobs
    visible = Q(status__in=[JobStatus.OPEN, JobStatus.CLOSED])
    if user.is_authenticated and user.is_recruiter and user.company_id:
        visible |= Q(company_id=user.company_id)
    return jobs.filter(visible)


def applications_visible_to(user: User) -> QuerySet[Application]:
    applications = Application.objects.select_related("job__company", "candidate", "resume")
    if user.is_admin:
        return applications
    if user.is_recruiter:
        if not user.company_id:
            return applications.none()
        return applications.filter(job__company_id=user.company_id)
    return applications.filter(candidate=user)


def documents_visible_to(user: User) -> QuerySet[Document]:
    documents = Document.objects.select_related("owner")
    if user.is_admin:
        return documents
    mine = Q(owner=user)
    if user.is_recruiter and user.company_id:
        applied_here = Application.objects.filter(candidate_id=OuterRef("owner_id"), job__company_id=user.company_id)
        return documents.filter(mine | Q(company_id=user.company_id) | Q(Exists(applied_here)))
    return documents.filter(mine)


def candidates_visible_to(user: User) -> QuerySet[JobSeekerProfile]:
    if not (user.is_recruiter or user.is_admin):
        return JobSeekerProfile.objects.none()
    return JobSeekerProfile.objects.select_related("user").filter(user__is_active=True, user__user_type="job_seeker")


def recruiter_ids_of(company_id: int) -> list[int]:
    """The active recruiters who act for a company: the audience of its job and application news."""
    return list(
        User.objects.filter(company_id=company_id, user_type=UserType.RECRUITER, is_active=True).values_list(
            "id", flat=True
        )
    )


def saved_searches_visible_to(user: User) -> QuerySet[SavedSearch]:
    """A seeker's own saved searches; anyone else's are not found."""
    if not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(seeker=user)


def seeker_ids_alerted_for(job_id: int) -> set[int]:
    """The seekers a saved search alerted about this job (they need no match announcement for it too)."""
    return set(SavedSearchAlert.objects.filter(job_id=job_id).values_list("saved_search__seeker_id", flat=True))
