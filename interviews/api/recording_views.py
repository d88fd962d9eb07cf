"""/api/interview/{id}/recordings/…: start, upload chunks, stop, list, play back, delete.

Whoever may see the interview may list its recordings (the candidate learns that one exists); only the job's
recruiters (and admins) record, upload, stop, play back, download and delete. Someone who may not see the
interview gets 404 for all of it.
"""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import parsers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.exceptions import Conflict, PayloadTooLarge
from core.file_ranges import ranged_file_response
from interviews import recording_selectors, selectors, services
from interviews.api.recording_serializers import ChunkSerializer, RecordingListSerializer, RecordingSerializer
from interviews.choices import RecordingStatus
from interviews.models import Interview
from interviews.recording_models import Recording

_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}}


def _interview(request, pk: int) -> Interview:
    interview = selectors.interviews_visible_to(request.user).filter(pk=pk).first()
    if interview is None:
        raise NotFound("No such interview.")
    return interview


def _recording(interview: Interview, recording_id: int) -> Recording:
    recording = recording_selectors.recording_of(interview, recording_id)
    if recording is None:
        raise NotFound("No such recording of this interview.")
    return recording


def _require_recorder(request, interview: Interview) -> None:
    if not recording_selectors.can_record(request.user, interview):
        raise PermissionDenied("Only the job's recruiters record interviews and handle their recordings.")


def _body(recording: Recording, request, interview: Interview) -> dict:
    context = {"can_record": recording_selectors.can_record(request.user, interview)}
    return RecordingSerializer(recording, context=context).data


class RecordingListView(APIView):
    @extend_schema(
        operation_id="interview_recordings_list",
        responses={200: RecordingListSerializer, 404: OpenApiResponse(_DETAIL)},
        description="The interview's recordings and the one running now. Every participant sees that they exist; "
        "`file_url` is given to the job's recruiters only.",
    )
    def get(self, request, pk: int):
        interview = _interview(request, pk)
        can_record = recording_selectors.can_record(request.user, interview)
        recordings = list(recording_selectors.recordings_of(interview))
        context = {"can_record": can_record}
        active = next((r for r in recordings if r.status == RecordingStatus.RECORDING), None)
        return Response(
            {
                "recording_enabled": interview.recording_enabled,
                "can_record": can_record,
                "active": RecordingSerializer(active, context=context).data if active else None,
                "results": RecordingSerializer(recordings, many=True, context=context).data,
            }
        )

    @extend_schema(
        request=None,
        responses={
            201: RecordingSerializer,
            400: OpenApiResponse(_DETAIL, description="Recording is not enabled, or the room is not open"),
            403: OpenApiResponse(_DETAIL, description="Not a recruiter of the job"),
            409: OpenApiResponse(_DETAIL, description="Already being recorded"),
        },
        description="Start recording (everyone in the room gets `recording_started`). Then upload chunks "
        "numbered from 0 and stop it.",
    )
    def post(self, request, pk: int):
        interview = _interview(request, pk)
        recording = services.recording_start(interview=interview, actor=request.user)
        return Response(_body(recording, request, interview), status=status.HTTP_201_CREATED)


class RecordingDetailView(APIView):
    @extend_schema(
        operation_id="interview_recording_retrieve", responses={200: RecordingSerializer, 404: OpenApiResponse(_DETAIL)}
    )
    def get(self, request, pk: int, recording_id: int):
        interview = _interview(request, pk)
        return Response(_body(_recording(interview, recording_id), request, interview))

    @extend_schema(
        responses={
            204: None,
            403: OpenApiResponse(_DETAIL, description="Not a recruiter of the job"),
            409: OpenApiResponse(_DETAIL, description="Still running: stop it first"),
        },
        description="Delete the recording and its file for good.",
    )
    def delete(self, request, pk: int, recording_id: int):
        interview = _interview(request, pk)
        services.recording_delete(recording=_recording(interview, recording_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecordingStopView(APIView):
    @extend_schema(
        request=None,
        responses={200: RecordingSerializer, 403: OpenApiResponse(_DETAIL)},
        description="Stop taking chunks (everyone in the room gets `recording_stopped`); the file is assembled "
        "in the background (`status` finalizing, then ready). Stopping a stopped recording changes nothing.",
    )
    def post(self, request, pk: int, recording_id: int):
        interview = _interview(request, pk)
        recording = services.recording_stop(recording=_recording(interview, recording_id), actor=request.user)
        recording.refresh_from_db()  # an eager assembly may have finished already
        return Response(_body(recording, request, interview))


class ChunkParser(parsers.BaseParser):
    """The chunk's bytes as they came (MediaRecorder's Blob), read up to one byte past the limit."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.KAZI_RECORDING_CHUNK_MAX_BYTES
        request = parser_context["request"] if parser_context else None
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise PayloadTooLarge(f"The chunk is {declared} bytes; a chunk may be at most {limit} bytes.")
        return stream.read(limit + 1) if stream is not None else b""


class RecordingChunkView(APIView):
    parser_classes = [ChunkParser]
    # One chunk a second for the length of a call would pass the per-user limits of the rest of the API.
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "recording_chunk"

    @extend_schema(
        # Any content type is read as raw bytes (the room page sends `video/webm`); the schema names the generic one.
        request={"application/octet-stream": OpenApiTypes.BINARY},
        responses={
            201: ChunkSerializer,
            200: OpenApiResponse(ChunkSerializer, description="Already stored (a retry): nothing changed"),
            403: OpenApiResponse(_DETAIL, description="Not a recruiter of the job"),
            409: OpenApiResponse(_DETAIL, description="Stopped, or this sequence number holds other bytes"),
            413: OpenApiResponse(_DETAIL, description="Larger than KAZI_RECORDING_CHUNK_MAX_BYTES"),
            415: OpenApiResponse(_DETAIL, description="Chunk 0 is no WebM (EBML header), or a later one is"),
        },
        description="One chunk of a running recording, the raw bytes of a MediaRecorder `dataavailable` blob, "
        "numbered from 0 in recording order. Idempotent per sequence number: sending the same chunk again "
        "answers 200.",
    )
    def post(self, request, pk: int, recording_id: int, sequence: int):
        interview = _interview(request, pk)
        _require_recorder(request, interview)
        recording = _recording(interview, recording_id)
        data = request.data if isinstance(request.data, bytes) else b""
        chunk, created = services.recording_add_chunk(
            recording=recording, actor=request.user, sequence=sequence, data=data
        )
        body = {"recording_id": recording.pk, "sequence": chunk.sequence, "size": chunk.size, "duplicate": not created}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class RecordingFileView(APIView):
    @extend_schema(
        responses={
            (200, "video/webm"): OpenApiTypes.BINARY,
            (206, "video/webm"): OpenApiTypes.BINARY,
            403: OpenApiResponse(_DETAIL, description="Only the job's recruiters play recordings back"),
            409: OpenApiResponse(_DETAIL, description="Not assembled yet"),
        },
        description="The WebM file, with byte ranges (a player seeks with them). `?download=1` saves it as a file.",
    )
    def get(self, request, pk: int, recording_id: int):
        interview = _interview(request, pk)
        _require_recorder(request, interview)
        recording = _recording(interview, recording_id)
        if recording.status != RecordingStatus.READY or not recording.file:
            raise Conflict(f"The recording is {recording.status}: there is no file to play yet.")
        try:
            return ranged_file_response(
                request,
                recording.file,
                content_type="video/webm",
                filename=f"interview-{interview.pk}-recording-{recording.pk}.webm",
                as_attachment=request.query_params.get("download") == "1",
            )
        except FileNotFoundError:
            raise NotFound("The file of this recording is no longer stored.") from None
