from django.db import models


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", "Full time"
    PART_TIME = "part_time", "Part time"
    CONTRACT = "contract", "Contract"
    INTERNSHIP = "internship", "Internship"
    TEMPORARY = "temporary", "Temporary"


class ExperienceLevel(models.TextChoices):
    ENTRY = "entry", "Entry"
    JUNIOR = "junior", "Junior"
    MID = "mid", "Mid"
    SENIOR = "senior", "Senior"
    LEAD = "lead", "Lead"
    EXECUTIVE = "executive", "Executive"


# Years of experience from which a level is assumed when none is stated, most first. One table, so a profile
# filled from a resume gets the level the match scorer would infer from the same years.
LEVEL_BY_YEARS = (
    (12, ExperienceLevel.EXECUTIVE),
    (8, ExperienceLevel.LEAD),
    (5, ExperienceLevel.SENIOR),
    (3, ExperienceLevel.MID),
    (1, ExperienceLevel.JUNIOR),
    (0, ExperienceLevel.ENTRY),
)
_LEVELS = frozenset(ExperienceLevel.values)


def level_for(years: float | None, stated: str = "") -> str:
    """The stated level when it is one, else the level that `years` of experience make."""
    if stated in _LEVELS:
        return stated
    for minimum, level in LEVEL_BY_YEARS:
        if (years or 0) >= minimum:
            return level.value
    return ExperienceLevel.ENTRY.value


class JobStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    REVIEWING = "reviewing", "Reviewing"
    SHORTLISTED = "shortlisted", "Shortlisted"
    INTERVIEW = "interview", "Interview"
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Availability(models.TextChoices):
    IMMEDIATE = "immediate", "Immediately"
    TWO_WEEKS = "two_weeks", "Within two weeks"
    ONE_MONTH = "one_month", "Within a month"
    THREE_MONTHS = "three_months", "Within three months"
    NOT_LOOKING = "not_looking", "Not looking"


# The text-search configuration of candidate search: the vector and every query must use the same one.
SEARCH_CONFIG = "english"


class Visibility(models.TextChoices):
    """Which recruiters may find a job seeker in candidate search (an application always shows the applicant)."""

    PUBLIC = "public", "Every recruiter"
    APPLIED = "applied", "Only companies I applied to"
    HIDDEN = "hidden", "Hidden"


class DocumentType(models.TextChoices):
    RESUME = "resume", "Resume"
    COVER_LETTER = "cover_letter", "Cover letter"
    PORTFOLIO = "portfolio", "Portfolio"


class DocumentStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    PROCESSING = "processing", "Processing"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


class SkillLevel(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"
    EXPERT = "expert", "Expert"
