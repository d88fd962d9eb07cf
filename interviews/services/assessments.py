"""Interviewers' assessments: one each, editable while the interview is open for them."""

from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from interviews.choices import ParticipantRole, Recommendation
from interviews.models import Assessment, Interview, Participant
from interviews.windows import assessment_error

MAX_SKILLS = 30
MAX_SKILL_NAME = 100


def clean_skill_ratings(items, field: str) -> list[dict]:
    """`[{"skill": "Python", "rating": 4}]` with names trimmed, ratings 1–5 and each skill once."""
    if not isinstance(items, list):
        raise ValidationError({field: ["A list of {skill, rating} objects."]})
    if len(items) > MAX_SKILLS:
        raise ValidationError({field: [f"At most {MAX_SKILLS} skills."]})
    cleaned, seen = [], set()
    for item in items:
        if not isinstance(item, dict):
            raise ValidationError({field: ["Each item is an object with `skill` and `rating`."]})
        name, rating = item.get("skill"), item.get("rating")
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > MAX_SKILL_NAME:
            raise ValidationError({field: [f"Each `skill` is a name of 1 to {MAX_SKILL_NAME} characters."]})
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise ValidationError({field: [f"The rating of {name.strip()!r} must be a whole number from 1 to 5."]})
        if name.strip().lower() in seen:
            raise ValidationError({field: [f"{name.strip()!r} is rated twice."]})
        seen.add(name.strip().lower())
        cleaned.append({"skill": name.strip(), "rating": rating})
    return cleaned


@transaction.atomic
def assessment_submit(
    *,
    interview: Interview,
    interviewer: User,
    rating: int,
    overall_recommendation: str,
    feedback: str = "",
    technical_skills: list | None = None,
    soft_skills: list | None = None,
    notes: str = "",
    now: datetime | None = None,
) -> tuple[Assessment, bool]:
    """Create the interviewer's assessment, or replace it on a second submission; (assessment, created)."""
    now = now or timezone.now()
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    if not Participant.objects.filter(interview=interview, user=interviewer, role=ParticipantRole.INTERVIEWER).exists():
        raise PermissionDenied("Only the interview's interviewers can assess it.")
    error = assessment_error(
        status=interview.status,
        scheduled_at=interview.scheduled_at,
        ended_at=interview.ended_at,
        now=now,
        edit_hours=settings.KAZI_INTERVIEW_ASSESSMENT_HOURS,
    )
    if error:
        raise ValidationError({"detail": error})
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": ["A whole number from 1 to 5."]})
    if overall_recommendation not in Recommendation.values:
        raise ValidationError({"overall_recommendation": [f"One of {', '.join(Recommendation.values)}."]})
    values = {
        "rating": rating,
        "overall_recommendation": overall_recommendation,
        "feedback": feedback,
        "technical_skills": clean_skill_ratings(technical_skills or [], "technical_skills"),
        "soft_skills": clean_skill_ratings(soft_skills or [], "soft_skills"),
        "notes": notes,
    }
    # The interview row lock above serializes an interviewer's two quick submissions.
    return Assessment.objects.update_or_create(
        interview=interview, interviewer=interviewer, defaults=values, create_defaults={**values, "created_at": now}
    )
