from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import IsRecruiterOrAdmin
from accounts.models import User
from interviews import selectors, services
from interviews.api import serializers as s
from interviews.choices import ACTIVE_STATUSES, InterviewStatus
from interviews.invites import interview_invite
from interviews.models import Assessment, Interview
from interviews.zones import zone_error
from marketplace.selectors import applications_visible_to

_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}}
_REFUSED_JOIN = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "status": {"type": "string", "enum": InterviewStatus.values}},
}
_CONFLICT = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "conflicts": {"type": "array", "items": {"type": "integer"}}},
}
TZ_PARAM = OpenApiParameter("tz", OpenApiTypes.STR, description="IANA zone for `local` times, e.g. Africa/Nairobi.")


def _users(ids: list[int] | None) -> list[User] | None:
    if ids is None:
        return None
    users = list(User.objects.select_related("company").filter(pk__in=ids))
    missing = sorted(set(ids) - {user.pk for user in users})
    if missing:
        raise ValidationError({"interviewer_ids": [f"No such user: {missing}."]})
    return users


def _zone_param(request) -> str | None:
    zone = request.query_params.get("tz")
    if zone is None:
        return None
    error = zone_error(zone)
    if error:
        raise ValidationError({"tz": [error]})
    return zone


class ScheduleView(APIView):
    permission_classes = [IsRecruiterOrAdmin]

    @extend_schema(
        request=s.ScheduleSerializer,
        responses={
            201: s.ManagedInterviewSerializer,
            400: OpenApiResponse(description="Bad input, or the application cannot move to `interview`"),
            403: OpenApiResponse(_DETAIL, description="Not a recruiter of the job's company"),
            409: OpenApiResponse(_CONFLICT, description="The candidate or an interviewer is busy then"),
        },
        description="Book an interview for an application of your company; the application moves to `interview` "
        "and the participants are notified (`interview_scheduled`).",
    )
    def post(self, request):
        data = s.ScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        application = applications_visible_to(request.user).filter(pk=values["application_id"]).first()
        if application is None:
            raise ValidationError({"application_id": ["No such application."]})
        if values.get("candidate_id", application.candidate_id) != application.candidate_id:
            raise ValidationError({"candidate_id": ["This is not the candidate of that application."]})
        if values.get("job_id", application.job_id) != application.job_id:
            raise ValidationError({"job_id": ["That application is for another job."]})
        interview = services.interview_schedule(
            actor=request.user,
            application=application,
            scheduled_at=values["scheduled_at"],
            duration=values["duration"],
            interviewers=_users(values.get("interviewer_ids")),
            recording_enabled=values["recording_enabled"],
            timezone_name=values["timezone"],
        )
        interview = selectors.interviews_visible_to(request.user).get(pk=interview.pk)
        body = s.ManagedInterviewSerializer(interview, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "upcoming", OpenApiTypes.BOOL, description="Only scheduled or running ones, soonest first."
            ),
            OpenApiParameter("status", OpenApiTypes.STR, enum=InterviewStatus.values),
            TZ_PARAM,
        ],
        description="Your interviews: as candidate or interviewer, and (recruiters) your company's.",
    ),
    retrieve=extend_schema(
        parameters=[TZ_PARAM],
        responses={200: s.ManagedInterviewSerializer},
        description="The company's recruiters also get `assessments` and `assessment_summary`; the candidate never.",
    ),
)
class InterviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.InterviewSerializer
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Interview.objects.none()
        # A call from chat has a room (join, leave, end, decline) and nothing else of an interview.
        calls = self.action in ("join", "leave", "end", "decline")
        interviews = selectors.interviews_visible_to(self.request.user, calls=calls)
        if self.action != "list":
            return interviews
        params = self.request.query_params
        upcoming = params.get("upcoming")
        if upcoming not in (None, "true", "false"):
            raise ValidationError({"upcoming": ["Use true or false."]})
        wanted = params.get("status")
        if wanted is not None:
            if wanted not in InterviewStatus.values:
                raise ValidationError({"status": [f"One of {', '.join(InterviewStatus.values)}."]})
            interviews = interviews.filter(status=wanted)
        if upcoming == "true":
            return interviews.filter(status__in=ACTIVE_STATUSES, ends_at__gt=timezone.now()).order_by(
                "scheduled_at", "id"
            )
        return interviews.order_by("-scheduled_at", "-id")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "tz": _zone_param(self.request)}

    def _detail(self, interview: Interview, *, status_code=status.HTTP_200_OK) -> Response:
        user = self.request.user
        if selectors.can_manage(user, interview):
            assessments = Assessment.objects.select_related("interviewer").order_by("created_at", "id")
            interview = (
                selectors.interviews_visible_to(user)
                .prefetch_related(Prefetch("assessments", queryset=assessments))
                .get(pk=interview.pk)
            )
            serializer = s.ManagedInterviewSerializer(interview, context=self.get_serializer_context())
        else:
            serializer = s.InterviewSerializer(interview, context=self.get_serializer_context())
        return Response(serializer.data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(
        request=s.InterviewUpdateSerializer,
        responses={
            200: s.ManagedInterviewSerializer,
            403: OpenApiResponse(_DETAIL, description="Only the company's recruiters change interviews"),
            409: OpenApiResponse(_CONFLICT, description="Someone is busy at the new time"),
        },
        description="Reschedule (conflict-checked; everyone is notified and the calendar SEQUENCE grows), change "
        "the panel, the zone or recording. Only while `scheduled`.",
    )
    def partial_update(self, request, *args, **kwargs):
        interview = self.get_object()
        data = s.InterviewUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.interview_update(
            interview=interview,
            actor=request.user,
            scheduled_at=values.get("scheduled_at"),
            duration=values.get("duration"),
            interviewers=_users(values.get("interviewer_ids")),
            recording_enabled=values.get("recording_enabled"),
            timezone_name=values.get("timezone"),
        )
        return self._detail(interview)

    @extend_schema(
        request=None,
        responses={
            200: s.JoinSerializer,
            400: OpenApiResponse(_REFUSED_JOIN, description="Outside the joining window, with the interview's status"),
        },
        description="Enter the room: open from 15 minutes before the start until the end. Returns the ICE servers "
        "and the signaling socket's path. A refusal says why (`detail`) and the interview's `status`, so a page "
        "that loaded before a call was declined or an interview ended shows that it is over.",
    )
    @action(detail=True, methods=["post"])
    def join(self, request, pk=None):
        interview = self.get_object()
        try:
            interview = services.interview_join(interview=interview, user=request.user)
        except DjangoValidationError as error:
            interview.refresh_from_db(fields=["status"])
            return Response({"detail": " ".join(error.messages), "status": interview.status}, status=400)
        interview = self.get_queryset().get(pk=interview.pk)
        return Response(
            {
                "interview": s.InterviewSerializer(interview, context=self.get_serializer_context()).data,
                "ice_servers": settings.KAZI_ICE_SERVERS,
                "signaling_url": f"/ws/interviews/{interview.pk}/",
                "present": selectors.present_user_ids(interview),
            }
        )

    @extend_schema(request=None, responses={200: s.InterviewSerializer})
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        interview = services.interview_leave(interview=self.get_object(), user=request.user)
        return self._detail(interview)

    @extend_schema(
        request=None,
        responses={
            200: s.InterviewSerializer,
            400: OpenApiResponse(_DETAIL, description="Not in progress (not started yet, or over already)"),
            403: OpenApiResponse(_DETAIL, description="Not a recruiter of the job"),
        },
        description="End the interview for everyone: `completed`, and the room's sockets close (4410). Leaving "
        "the room never ends it; without this it ends with its slot.",
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        interview = services.interview_end(interview=self.get_object(), actor=request.user)
        return self._detail(interview)

    @extend_schema(
        request=None,
        responses={200: s.InterviewSerializer, 400: OpenApiResponse(_DETAIL, description="Not a ringing call")},
        description="Calls from chat: the callee declines a ringing call (or the caller gives up); the "
        'conversation gets a "missed call" message and the room\'s sockets close.',
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        interview = services.call_decline(interview=self.get_object(), user=request.user)
        return self._detail(interview)

    @extend_schema(request=s.CancelSerializer, responses={200: s.InterviewSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        data = s.CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        interview = services.interview_cancel(
            interview=self.get_object(), actor=request.user, reason=data.validated_data["reason"]
        )
        return self._detail(interview)

    @extend_schema(
        methods=["GET"],
        responses={200: s.AssessmentListSerializer, 403: OpenApiResponse(_DETAIL)},
        description="Every assessment with the averages: the company's recruiters and admins only.",
    )
    @extend_schema(
        methods=["POST"],
        request=s.AssessmentInputSerializer,
        responses={201: s.AssessmentSerializer, 200: s.AssessmentSerializer, 400: OpenApiResponse(_DETAIL)},
        description="The interviewer's assessment: created (201), or replaced by a later POST (200) until the "
        "interview is closed (cancelled, no-show, or KAZI_INTERVIEW_ASSESSMENT_HOURS after completion).",
    )
    @action(detail=True, methods=["get", "post"])
    def assessment(self, request, pk=None):
        interview = self.get_object()
        if request.method == "GET":
            if not selectors.can_manage(request.user, interview):
                raise PermissionDenied("Only the company's recruiters can read assessments.")
            assessments = list(selectors.assessments_of(interview))
            return Response(
                {
                    "summary": selectors.assessment_summary(assessments),
                    "results": s.AssessmentSerializer(assessments, many=True).data,
                }
            )
        data = s.AssessmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assessment, created = services.assessment_submit(
            interview=interview, interviewer=request.user, **data.validated_data
        )
        return Response(
            s.AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class ICalendarRenderer(renderers.BaseRenderer):
    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        # An error (404, 401) asked for as a calendar: its message as text.
        detail = data.get("detail", "") if isinstance(data, dict) else data
        return str(detail).encode()


class CalendarView(APIView):
    renderer_classes = [renderers.JSONRenderer, ICalendarRenderer]

    @extend_schema(
        responses={(200, "text/calendar"): OpenApiTypes.BINARY, 404: OpenApiResponse(_DETAIL)},
        description="The iCalendar invite (METHOD:REQUEST, or CANCEL once cancelled). Its UID stays the same "
        "across reschedules and its SEQUENCE grows, so calendars update the event in place.",
    )
    def get(self, request, pk: int):
        interview = selectors.interviews_visible_to(request.user).filter(pk=pk).first()
        if interview is None:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        body = interview_invite(
            interview, room_url=request.build_absolute_uri(f"/interview/{interview.pk}/"), now=timezone.now()
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.ics"'
        return response


class ConflictsView(APIView):
    """A dry run of schedule/ and of a reschedule: who is busy then, before anything is booked."""

    permission_classes = [IsRecruiterOrAdmin]

    @extend_schema(
        request=s.ConflictCheckSerializer,
        responses={200: s.ConflictReportSerializer, 400: OpenApiResponse(description="Bad input")},
        description="Checks the candidate of the application and the panel at that time, as schedule/ would, and "
        "books nothing: `conflicts` is empty when everyone is free. Scheduling pages call it as the form changes.",
    )
    def post(self, request):
        data = s.ConflictCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        application = applications_visible_to(request.user).filter(pk=values["application_id"]).first()
        if application is None:
            raise ValidationError({"application_id": ["No such application."]})
        panel = values.get("interviewer_ids") or [request.user.pk]
        start = values["scheduled_at"]
        end = start + timedelta(minutes=values["duration"])
        rows = selectors.busy_slots(
            user_ids=[application.candidate_id, *panel],
            start=start,
            end=end,
            exclude_interview_id=values.get("interview_id"),
        )
        busy = [
            {
                "user_id": row.user_id,
                "name": "the candidate" if row.user_id == application.candidate_id else row.user.full_name,
                "is_candidate": row.user_id == application.candidate_id,
                "interview_id": row.interview_id,
                "starts_at": row.during.lower,
                "ends_at": row.during.upper,
            }
            for row in rows
        ]
        busy.sort(key=lambda item: (not item["is_candidate"], item["starts_at"], item["user_id"]))
        names = list(dict.fromkeys(item["name"] for item in busy))
        report = {
            "conflicts": sorted({row.interview_id for row in rows}),
            "busy": busy,
            "detail": f"Already booked at that time: {', '.join(names)}." if names else "",
        }
        return Response(s.ConflictReportSerializer(report).data)
