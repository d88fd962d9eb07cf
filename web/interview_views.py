"""Interview pages: the list of one's interviews, one interview with its assessments, and the room (the server
checks who may enter; interview-room.js does the call)."""

from datetime import timedelta

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from interviews import selectors
from interviews.choices import InterviewKind
from interviews.windows import join_error, join_opens_at
from web.access import page


@page()
def interview_room(request, interview_id: int):
    interview = selectors.interviews_visible_to(request.user, calls=True).filter(pk=interview_id).first()
    if interview is None:
        return render(request, "web/not_yours.html", status=404)
    role = selectors.role_of(request.user, interview)
    participants = [
        {"user_id": str(row.user_id), "role": row.role, "name": row.user.full_name}
        for row in interview.participant_rows.all()
    ]
    context = {
        "interview": interview,
        "role": role,
        "can_end": role is not None and selectors.can_end(request.user, interview),
        "is_call": interview.kind == InterviewKind.CALL,
        "ring_until": interview.scheduled_at + timedelta(seconds=settings.KAZI_CALL_RING_SECONDS),
        "other_names": ", ".join(p["name"] for p in participants if p["user_id"] != str(request.user.pk)),
        "participants": participants,
        "opens_at": join_opens_at(interview.scheduled_at),
        # Shown at once; the page still asks the server when someone presses Join later.
        "closed_because": join_error(
            status=interview.status,
            scheduled_at=interview.scheduled_at,
            ends_at=interview.ends_at,
            now=timezone.now(),
        ),
    }
    # A recruiter of the company sees the interview over REST but takes no part in the call.
    return render(request, "web/interview_room.html", context, status=200 if role else 403)


@page()
def interviews(request):
    """Upcoming and past interviews of the user (and, for recruiters, of their company); interviews.js fills it."""
    return render(request, "web/interviews.html")


@page()
def interview_detail(request, interview_id: int):
    """One interview: its times, the calendar file, Join; the assessment form for its interviewers, and every
    assessment side by side for the company's recruiters."""
    interview = selectors.interviews_visible_to(request.user).filter(pk=interview_id).first()
    if interview is None:
        return render(request, "web/not_yours.html", status=404)
    context = {
        "interview": interview,
        "role": selectors.role_of(request.user, interview) or "",
        "manages": selectors.can_manage(request.user, interview),
    }
    return render(request, "web/interview_detail.html", context)
