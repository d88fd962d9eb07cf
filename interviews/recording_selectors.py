"""Reads of interview recordings shared by the API, the playback page and the services."""

from django.db.models import QuerySet

from accounts.models import User
from interviews import selectors
from interviews.choices import RecordingStatus
from interviews.models import Interview
from interviews.recording_models import Recording


def can_record(user: User, interview: Interview) -> bool:
    """Start, stop, upload, play back, download and delete: the job's recruiters (and admins), never the
    candidate: the recording is the company's record of the interview, like its assessments."""
    return selectors.can_manage(user, interview)


def recordings_of(interview: Interview) -> QuerySet[Recording]:
    return Recording.objects.filter(interview=interview).select_related("started_by").order_by("-started_at", "-id")


def running_recording(interview: Interview) -> Recording | None:
    return recordings_of(interview).filter(status=RecordingStatus.RECORDING).first()


def recording_of(interview: Interview, recording_id: int) -> Recording | None:
    return recordings_of(interview).filter(pk=recording_id).first()
