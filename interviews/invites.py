"""iCalendar invites of interviews (RFC 5545 with iTIP methods).

The UID never changes and SEQUENCE grows with every change of time, attendees
or status, so a calendar that imported the invite updates (or, with METHOD:CANCEL,
removes) its event instead of adding a second one.
"""

from datetime import datetime

from icalendar import Calendar, Event, vCalAddress

from interviews.choices import InterviewStatus, ParticipantRole
from interviews.models import Interview

PRODID = "-//Kazi//Interviews//EN"
# Said wherever the candidate learns of the interview (notification, mail, invite) when it may be recorded.
RECORDING_NOTICE = "Recording is enabled: the recruiter may record this interview's call"


def _address(user, *, role: str | None = None) -> vCalAddress:
    if role is None:
        return vCalAddress.new(user.email, cn=user.full_name)
    return vCalAddress.new(user.email, cn=user.full_name, role=role, partstat="NEEDS-ACTION", rsvp=True)


def interview_invite(interview: Interview, *, room_url: str, now: datetime, cancelled: bool = False) -> bytes:
    """The invite of `interview` as an .ics file; needs participant_rows (with users) and job.company loaded.

    `cancelled`: METHOD:CANCEL although the interview goes on (for an interviewer taken off the panel)."""
    job = interview.job
    cancelled = cancelled or interview.status == InterviewStatus.CANCELLED
    rows = sorted(
        interview.participant_rows.all(), key=lambda row: (row.role != ParticipantRole.CANDIDATE, row.user_id)
    )
    organizer = interview.organizer or next((r.user for r in rows if r.role == ParticipantRole.INTERVIEWER), None)
    event = Event.new(
        uid=interview.ical_uid,
        sequence=interview.sequence,
        stamp=now,
        last_modified=interview.updated_at,
        start=interview.scheduled_at,
        end=interview.ends_at,
        summary=f"Interview: {job.title} at {job.company.name}",
        description=(
            f"Video interview for {job.title} at {job.company.name} ({interview.duration} minutes).\n"
            f"Join from 15 minutes before the start: {room_url}"
            + (f"\n{RECORDING_NOTICE}." if interview.recording_enabled else "")
        ),
        location=room_url,
        url=room_url,
        status="CANCELLED" if cancelled else "CONFIRMED",
        organizer=_address(organizer) if organizer else None,
        attendees=[_address(row.user, role="REQ-PARTICIPANT") for row in rows],
    )
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    calendar.add_component(event)
    return calendar.to_ical()
