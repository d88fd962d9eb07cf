"""/api/analytics/: record events, the caller's dashboard, one job's figures, the platform's (admins)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import IsRecruiterOrAdmin
from analytics import dashboards, insights, services
from analytics.api.serializers import EventIn, EventOut, JobAnalyticsOut
from analytics.dashboard_cache import dashboard_cached
from analytics.models import JOB_EVENT_TYPES, EventSource
from core.renderers import CSVRenderer
from marketplace.exports import rows_csv
from marketplace.models import Job
from marketplace.selectors import jobs_visible_to


class IsAdmin(BasePermission):
    message = "Only admins can see the platform's figures."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_admin)


def _bounded_int(request, name: str, default: int, maximum: int) -> int:
    raw = request.query_params.get(name, str(default))
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise ValidationError({name: [f"A whole number from 1 to {maximum}."]})
    return int(raw)


class EventView(APIView):
    @extend_schema(request=EventIn, responses={201: EventOut})
    def post(self, request):
        data = EventIn(data=request.data)
        data.is_valid(raise_exception=True)
        event_type, job_id = data.validated_data["event_type"], data.validated_data.get("job_id")
        if event_type in JOB_EVENT_TYPES and job_id is None:
            raise ValidationError({"job_id": [f"A {event_type} event needs the job_id of its job."]})
        if job_id is not None and not jobs_visible_to(request.user).filter(pk=job_id).exists():
            raise ValidationError({"job_id": [f"No job with id {job_id}."]})
        event = services.event_record(
            event_type=event_type,
            user=request.user,
            job_id=job_id,
            metadata=data.validated_data["metadata"],
            source=EventSource.CLIENT,
        )
        return Response(EventOut(event).data, status=status.HTTP_201_CREATED)


class DashboardView(APIView):
    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        description="A job seeker's applications and activity, a recruiter's company jobs and pipeline, "
        "an admin's platform figures.",
    )
    def get(self, request):
        return Response(_dashboard_of(request.user))


def _dashboard_of(user) -> dict:
    if user.is_admin:
        compute = dashboards.platform_dashboard
    elif user.is_recruiter:
        compute = lambda: dashboards.recruiter_dashboard(user)  # noqa: E731
    else:
        compute = lambda: dashboards.seeker_dashboard(user)  # noqa: E731
    return dashboard_cached(user, "dashboard", compute)


class DashboardExportView(APIView):
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        responses={(200, "text/csv"): OpenApiResponse(description="The dashboard's figures")},
        description="The caller's dashboard figures as CSV: a recruiter's per job, a seeker's and an admin's "
        "applications per day.",
    )
    def get(self, request):
        header, rows = dashboards.dashboard_table(_dashboard_of(request.user))
        response = HttpResponse(rows_csv(header, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="kazi-dashboard-{timezone.now():%Y-%m-%d}.csv"'
        return response


class InsightsView(APIView):
    permission_classes = [IsRecruiterOrAdmin]

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        description="Your company's open jobs: applications forecast for the next 7 days (damped exponential "
        "smoothing of the daily count, analytics/forecast.py) and `below_category` flags (`views`, `conversion`) "
        "when a job is under half its category's median.",
    )
    def get(self, request):
        company_id = request.user.company_id
        if not company_id:
            return Response([])
        return Response(dashboard_cached(request.user, "insights", lambda: insights.company_insights(company_id)))


class PlatformView(APIView):
    permission_classes = [IsAdmin]

    @extend_schema(parameters=[OpenApiParameter("hours", OpenApiTypes.INT)], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        hours = _bounded_int(request, "hours", 24, 24 * 31)
        return Response(
            dashboard_cached(request.user, f"platform|{hours}", lambda: dashboards.platform_dashboard(hours=hours))
        )


class JobAnalyticsView(APIView):
    permission_classes = [IsRecruiterOrAdmin]

    @extend_schema(parameters=[OpenApiParameter("days", OpenApiTypes.INT)], responses={200: JobAnalyticsOut})
    def get(self, request, job_id: int):
        user = request.user
        jobs = Job.objects.all() if user.is_admin else Job.objects.filter(company_id=user.company_id or -1)
        job = get_object_or_404(jobs, pk=job_id)
        figures = dashboards.job_analytics(job, days=_bounded_int(request, "days", 30, 365))
        return Response(JobAnalyticsOut(figures).data)
