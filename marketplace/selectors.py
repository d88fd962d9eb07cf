"""Reads of the marketplace that views, consumers and other apps share.

Each `*_visible_to` returns only what the user may see, so that another
user's object is simply not found (404), never forbidden (403).
"""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)

from accounts.choices import UserType
from accounts.models import User
from marketplace.choices import SEARCH_CONFIG, DocumentType, JobStatus, Visibility
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
    """The seekers a recruiter may find (list, search, by id, share): each seeker's `visibility` decides.

    Admins see every seeker; a recruiter without a company sees only public ones. An application shows its
    applicant whatever the setting: that goes through `applications_visible_to`, not through here.
    """
    if not (user.is_recruiter or user.is_admin):
        return JobSeekerProfile.objects.none()
    seekers = JobSeekerProfile.objects.select_related("user").filter(
        user__is_active=True, user__user_type=UserType.JOB_SEEKER
    )
    if user.is_admin:
        return seekers
    return seekers.filter(visible_to_company(user.company_id))


def candidate_for_recruiter(user: User, seeker_id: int) -> JobSeekerProfile | None:
    """A seeker's profile as a recruiter may open it: found by search (their `visibility`), or through an
    application to the recruiter's company; None (not found) otherwise."""
    profile = candidates_visible_to(user).filter(user_id=seeker_id).first()
    if profile is None and applications_visible_to(user).filter(candidate_id=seeker_id).exists():
        profile = JobSeekerProfile.objects.select_related("user").filter(user_id=seeker_id).first()
    return profile


def job_categories() -> list[str]:
    """The categories jobs use, for a form to offer (a category is a free slug)."""
    return list(Job.objects.exclude(category="").order_by("category").values_list("category", flat=True).distinct())


def visible_to_company(company_id: int | None) -> Q:
    """Which seekers' profiles the recruiters of a company (None: of no company) may find."""
    visible = Q(visibility=Visibility.PUBLIC)
    if company_id is not None:
        applied_here = Application.objects.filter(candidate_id=OuterRef("user_id"), job__company_id=company_id)
        visible |= Q(visibility=Visibility.APPLIED) & Q(Exists(applied_here))
    return visible


# Private-use characters mark the matches in a highlight: the text around them is the seeker's own and must be
# HTML-escaped before <mark> goes in (CandidateSerializer.get_search_highlight).
HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"


def candidate_search(candidates: QuerySet[JobSeekerProfile], *, text: str) -> QuerySet[JobSeekerProfile]:
    """The candidates whose headline, skills, name, summary, latest resume or location match `text` (web-search
    syntax: words, "phrases", -not, or), best first, each with `search_rank` and `search_highlight`."""
    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    latest_resume_text = (
        Document.objects.filter(
            owner_id=OuterRef("user_id"), document_type=DocumentType.RESUME, parsed_at__isnull=False
        )
        .order_by("-parsed_at")
        .values("extracted_text")[:1]
    )
    shown_text = Func(
        Value(" · "),
        "headline",
        Func(F("skill_names"), Value(", "), function="array_to_string", output_field=TextField()),
        "summary",
        Subquery(latest_resume_text),
        function="concat_ws",  # skips a missing resume (NULL)
        output_field=TextField(),
    )
    return (
        candidates.filter(search_vector=query)
        .annotate(
            search_rank=SearchRank(F("search_vector"), query),
            search_highlight=SearchHeadline(
                shown_text,
                query,
                config=SEARCH_CONFIG,
                start_sel=HIGHLIGHT_START,
                stop_sel=HIGHLIGHT_STOP,
                max_fragments=2,
                max_words=20,
                min_words=5,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-search_rank", "-updated_at", "-id")
    )


def recruiter_ids_of(company_id: int) -> list[int]:
    """The active recruiters who act for a company: the audience of its job and application news."""
    return list(
        User.objects.filter(company_id=company_id, user_type=UserType.RECRUITER, is_active=True).values_list(
            "id", flat=True
        )
    )


def company_members(company) -> QuerySet[User]:
    """The recruiters of a company, the owner first, each marked `is_owner`."""
    return (
        User.objects.filter(company=company, user_type=UserType.RECRUITER, is_active=True)
        .annotate(is_owner=ExpressionWrapper(Q(pk=company.owner_id or 0), output_field=BooleanField()))
        .order_by("-is_owner", "first_name", "last_name", "id")
    )


def saved_searches_visible_to(user: User) -> QuerySet[SavedSearch]:
    """A seeker's own saved searches; anyone else's are not found."""
    if not user.is_authenticated:
        return SavedSearch.objects.none()
    return SavedSearch.objects.filter(seeker=user)


def seeker_ids_alerted_for(job_id: int) -> set[int]:
    """The seekers a saved search alerted about this job (they need no match announcement for it too)."""
    return set(SavedSearchAlert.objects.filter(job_id=job_id).values_list("saved_search__seeker_id", flat=True))
