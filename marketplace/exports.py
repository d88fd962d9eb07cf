"""CSV exports of the marketplace, streamed.

The rows are read in pages of EXPORT_PAGE by id (keyset, so a page costs the same at row 10 as at row
1,000,000) and written a line at a time: memory stays flat whatever the size. The generator is
asynchronous because the web processes serve ASGI, where Django would first read a synchronous
iterator to its end into a list before sending a byte.
"""

import csv
from collections.abc import AsyncIterator, Callable, Iterable

from asgiref.sync import sync_to_async

from accounts.models import User
from marketplace.models import Application, Company, Job

EXPORT_PAGE = 500
APPLICATION_COLUMNS = [
    "application_id",
    "candidate_id",
    "candidate_name",
    "candidate_email",
    "status",
    "applied_at",
    "updated_at",
    "resume",
    "cover_letter",
]
# A spreadsheet runs a cell that starts with one of these as a formula: an applicant's text must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """csv.writer's file: each row comes back as its text instead of being written anywhere."""

    def write(self, text: str) -> str:
        return text


def csv_cell(value) -> str:
    if value is None:
        return ""
    text = value.isoformat().replace("+00:00", "Z") if hasattr(value, "isoformat") else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def csv_line(values: Iterable) -> str:
    return csv.writer(_Line()).writerow([csv_cell(value) for value in values])


def _application_page(job_id: int, after_id: int) -> list[list]:
    rows = (
        Application.objects.filter(job_id=job_id, pk__gt=after_id)
        .select_related("candidate", "resume")
        .order_by("pk")[:EXPORT_PAGE]
    )
    return [
        [
            application.pk,
            application.candidate_id,
            application.candidate.full_name,
            application.candidate.email,
            application.status,
            application.created_at,
            application.updated_at,
            application.resume.original_name if application.resume else "",
            application.cover_letter,
        ]
        for application in rows
    ]


async def _paged_lines(header: list[str], page: Callable[[int], list[list]]) -> AsyncIterator[str]:
    yield csv_line(header)
    after_id = 0
    while True:
        rows = await sync_to_async(page)(after_id)
        for row in rows:
            yield csv_line(row)
        if len(rows) < EXPORT_PAGE:
            return
        after_id = rows[-1][0]


def application_csv_lines(job: Job) -> AsyncIterator[str]:
    """Every application to the job, oldest first, one CSV line each after the header."""
    return _paged_lines(APPLICATION_COLUMNS, lambda after_id: _application_page(job.pk, after_id))


CANDIDATE_COLUMNS = [
    "candidate_id",
    "name",
    "email",
    "headline",
    "location",
    "skills",
    "applications",
    "jobs",
    "latest_status",
    "last_applied_at",
]


def _candidate_page(company_id: int, after_id: int) -> list[list]:
    seekers = list(
        User.objects.filter(applications__job__company_id=company_id, pk__gt=after_id)
        .select_related("profile")
        .distinct()
        .order_by("pk")[:EXPORT_PAGE]
    )
    applications: dict[int, list[Application]] = {}
    for application in (
        Application.objects.filter(job__company_id=company_id, candidate__in=seekers)
        .select_related("job")
        .order_by("created_at", "pk")
    ):
        applications.setdefault(application.candidate_id, []).append(application)
    rows = []
    for seeker in seekers:
        profile = getattr(seeker, "profile", None)
        theirs = applications.get(seeker.pk, [])
        rows.append(
            [
                seeker.pk,
                seeker.full_name,
                seeker.email,
                profile.headline if profile else "",
                profile.location if profile else "",
                "; ".join(skill.get("name", "") for skill in (profile.skills if profile else [])),
                len(theirs),
                "; ".join(application.job.title for application in theirs),
                theirs[-1].status if theirs else "",
                theirs[-1].created_at if theirs else None,
            ]
        )
    return rows


def candidate_csv_lines(company: Company) -> AsyncIterator[str]:
    """Everyone who applied to the company's jobs, one line each: their profile and their applications there."""
    return _paged_lines(CANDIDATE_COLUMNS, lambda after_id: _candidate_page(company.pk, after_id))


def rows_csv(header: list[str], rows: Iterable[Iterable]) -> str:
    """A small table (the dashboard's figures) as CSV text at once."""
    return "".join([csv_line(header), *(csv_line(row) for row in rows)])
