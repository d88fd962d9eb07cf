"""A seeker's profile from their parsed resume: fill what is empty, offer the rest for the user to accept."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from marketplace import services
from marketplace.choices import level_for
from marketplace.models import Document, JobSeekerProfile
from resumes.fields import ParsedResume

ACCEPTABLE_FIELDS = ("name", "headline", "summary", "skills", "experience_years", "experience_level")


def suggested_values(parsed: dict) -> dict:
    """The profile values a parsed resume proposes, by profile field."""
    values = {}
    if parsed.get("name"):
        values["name"] = parsed["name"]
    if parsed.get("job_titles"):
        values["headline"] = parsed["job_titles"][0]
    if parsed.get("summary"):
        values["summary"] = parsed["summary"]
    if parsed.get("skills"):
        values["skills"] = list(parsed["skills"])
    if parsed.get("experience_years") is not None:
        values["experience_years"] = parsed["experience_years"]
        values["experience_level"] = level_for(parsed["experience_years"])
    return values


def _current_values(user: User, profile: JobSeekerProfile) -> dict:
    return {
        "name": user.full_name.strip() if (user.first_name or user.last_name) else "",
        "headline": profile.headline,
        "summary": profile.summary,
        "skills": [s["name"] for s in profile.skills],
        "experience_years": profile.experience_years or None,
        "experience_level": profile.experience_level,
    }


def _write(user: User, profile: JobSeekerProfile, values: dict) -> None:
    values = dict(values)
    if "name" in values:
        first, _, last = values.pop("name").partition(" ")
        user.first_name, user.last_name = first[:150], last[:150]
        user.save(update_fields=["first_name", "last_name"])
    if "skills" in values:
        values["skills"] = [{"name": item} if isinstance(item, str) else item for item in values["skills"]]
    if "headline" in values:
        values["headline"] = values["headline"][:200]
    if values:
        services.profile_update(profile=profile, data=values)


@transaction.atomic
def profile_fill_from_resume(*, user: User, parsed: ParsedResume) -> list[str]:
    """Fill the empty fields of the user's profile from the resume; returns the fields filled."""
    profile = services.profile_for(user)
    current = _current_values(user, profile)
    empty = {field: value for field, value in suggested_values(parsed.as_dict()).items() if not current.get(field)}
    _write(user, profile, empty)
    return sorted(empty)


def resume_suggestions(*, user: User, profile: JobSeekerProfile, document: Document | None) -> dict | None:
    """What the user's latest parsed resume proposes that differs from the profile (for them to accept)."""
    if document is None or not document.parsed_data:
        return None
    current = _current_values(user, profile)
    differing = {
        field: value
        for field, value in suggested_values(document.parsed_data).items()
        if _comparable(value) != _comparable(current.get(field))
    }
    return {"document_id": str(document.pk), "fields": differing}


def _comparable(value):
    return sorted(v.lower() for v in value) if isinstance(value, list) else value


@transaction.atomic
def profile_accept_resume(*, user: User, document: Document, fields: list[str]) -> JobSeekerProfile:
    """Take the named parsed values into the profile, over what is there (the user asked for it)."""
    if document.owner_id != user.pk or not document.parsed_data:
        raise ValidationError({"document_id": ["No parsed resume of yours with this id."]})
    unknown = sorted(set(fields) - set(ACCEPTABLE_FIELDS))
    if unknown:
        raise ValidationError(
            {"fields": [f"Unknown fields: {', '.join(unknown)}. Choose from {', '.join(ACCEPTABLE_FIELDS)}."]}
        )
    profile = services.profile_for(user)
    proposed = suggested_values(document.parsed_data)
    missing = sorted(set(fields) - set(proposed))
    if missing:
        raise ValidationError({"fields": [f"The resume has no value for: {', '.join(missing)}."]})
    chosen = {field: proposed[field] for field in fields}
    if "skills" in chosen:  # accepting skills adds the resume's to the user's own, it doesn't drop any
        chosen["skills"] = [*profile.skills, *chosen["skills"]]
    _write(user, profile, chosen)
    profile.refresh_from_db()
    return profile
