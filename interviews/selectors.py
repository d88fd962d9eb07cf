"""Reads of interviews that views, services, tasks and the signaling socket share.

`interviews_visible_to` returns only what the user may see, so another user's
interview is simply not found (404).
"""

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import User
from interviews.choices import InterviewKind, ParticipantRole
from interviews.models import Assessment, Attendance, Interview, Participant


def interviews_visible_to(user: User, *, calls: bool = False) -> QuerySet[Interview]:
    """Admins see every interview; a recruiter those of their company's jobs; anyone those they take part in.

    Calls from chat only with `calls` (the room and its join/leave/end): every other reader keeps to interviews."""
    interviews = Interview.objects.select_related("job__company", "candidate", "organizer").prefetch_related(
        Prefetch("participant_rows", queryset=Participant.objects.select_related("user").order_by("role", "user_id"))
    )
    if not calls:
        interviews = interviews.filter(kind=InterviewKind.INTERVIEW)
    if user.is_admin:
        return interviews
    mine = Q(participant_rows__user=user)
    if user.is_recruiter and user.company_id:
        mine |= Q(job__company_id=user.company_id)
    ids = Interview.objects.filter(mine).values("pk")
    return interviews.filter(pk__in=ids)


def can_manage(user: User, interview: Interview) -> bool:
    """Reschedule, cancel for anyone, read assessments: the company's recruiters and admins."""
    if interview.job is None:
        return False  # a call: nobody manages it, its two people hang up
    return user.is_admin or (user.is_recruiter and user.company_id == interview.job.company_id)


def can_end(user: User, interview: Interview) -> bool:
    """End the interview for everyone: the recruiters of the job's company (and admins); either side of a call."""
    if interview.kind == InterviewKind.CALL:
        return any(row.user_id == user.pk for row in interview.participant_rows.all())
    return can_manage(user, interview)


def role_of(user: User, interview: Interview) -> str | None:
    """`candidate`, `interviewer`, or None for someone who does not take part (uses the prefetched rows)."""
    for row in interview.participant_rows.all():
        if row.user_id == user.pk:
            return row.role
    return None


def participant_ids(interview: Interview) -> list[int]:
    return [row.user_id for row in interview.participant_rows.all()]


def interviewer_ids(interview: Interview) -> list[int]:
    return [row.user_id for row in interview.participant_rows.all() if row.role == ParticipantRole.INTERVIEWER]


def conflicting_interview_ids(
    *, user_ids: list[int], start: datetime, end: datetime, exclude_interview_id: int | None = None
) -> list[int]:
    """Active interviews of any of `user_ids` whose interval overlaps `[start, end)` (touching ends don't)."""
    rows = Participant.objects.filter(user_id__in=user_ids, active=True, during__overlap=(start, end))
    if exclude_interview_id is not None:
        rows = rows.exclude(interview_id=exclude_interview_id)
    return sorted(set(rows.values_list("interview_id", flat=True)))


def busy_slots(
    *, user_ids: list[int], start: datetime, end: datetime, exclude_interview_id: int | None = None
) -> list[Participant]:
    """Who of `user_ids` is booked in `[start, end)`, one row per person and interview, soonest first: what a
    scheduling form warns about before it books (the booking itself checks again, in its transaction)."""
    rows = Participant.objects.filter(user_id__in=user_ids, active=True, during__overlap=(start, end))
    if exclude_interview_id is not None:
        rows = rows.exclude(interview_id=exclude_interview_id)
    return list(rows.select_related("user").order_by("during", "user_id"))


def present_user_ids(interview: Interview) -> list[int]:
    """Who is in the room now (joined and not left)."""
    return list(
        Attendance.objects.filter(interview=interview, left_at__isnull=True)
        .order_by("joined_at")
        .values_list("user_id", flat=True)
    )


def assessments_of(interview: Interview) -> QuerySet[Assessment]:
    return Assessment.objects.filter(interview=interview).select_related("interviewer").order_by("created_at", "id")


def assessment_summary(assessments: list[Assessment]) -> dict:
    """Averages a recruiter compares candidates by: the overall rating and each skill's mean rating."""
    count = len(assessments)

    def skill_means(field: str) -> dict[str, float]:
        totals: dict[str, list[int]] = {}
        for assessment in assessments:
            for item in getattr(assessment, field):
                totals.setdefault(item["skill"], []).append(item["rating"])
        return {skill: round(sum(values) / len(values), 2) for skill, values in sorted(totals.items())}

    recommendations: dict[str, int] = {}
    for assessment in assessments:
        recommendations[assessment.overall_recommendation] = (
            recommendations.get(assessment.overall_recommendation, 0) + 1
        )
    technical, soft = skill_means("technical_skills"), skill_means("soft_skills")
    return {
        "count": count,
        "average_rating": round(sum(a.rating for a in assessments) / count, 2) if count else None,
        "average_technical": round(sum(technical.values()) / len(technical), 2) if technical else None,
        "average_soft": round(sum(soft.values()) / len(soft), 2) if soft else None,
        "technical_skills": technical,
        "soft_skills": soft,
        "recommendations": recommendations,
    }
