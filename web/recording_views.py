"""The recordings of one interview (/interview/{id}/recordings/): the job's recruiters play them back and delete
them; the candidate sees that they exist (the company keeps them, and plays them back)."""

from django.shortcuts import render

from interviews import recording_selectors, selectors
from web.access import page


@page()
def interview_recordings(request, interview_id: int):
    interview = selectors.interviews_visible_to(request.user).filter(pk=interview_id).first()
    if interview is None:
        return render(request, "web/not_yours.html", status=404)
    context = {
        "interview": interview,
        "can_record": recording_selectors.can_record(request.user, interview),
        "recordings": list(recording_selectors.recordings_of(interview)),
    }
    return render(request, "web/interview_recordings.html", context)
