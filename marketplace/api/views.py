from django.conf import settings
from django.db.models import Q
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, UnsupportedMediaType, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.api.permissions import IsJobSeeker, IsRecruiterOrAdmin
from core.caching import cached
from core.renderers import CSVRenderer
from marketplace import selectors, services, teams
from marketplace.api import serializers as s
from marketplace.api.filters import ApplicationFilter, CandidateFilter
from marketplace.choices import JobStatus
from marketplace.exports import application_csv_lines, candidate_csv_lines
from marketplace.job_search import JOB_SEARCH_FIELDS, JobFilter
from marketplace.models import Application, Company, Document, JobSeekerProfile, SavedSearch
from marketplace.skills import text_skills

_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}}


class CompanyViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Companies are public; recruiters create theirs (and join it) and manage it."""

    serializer_class = s.CompanySerializer
    queryset = Company.objects.all()
    permission_classes = [IsAuthenticatedOrReadOnly]
    search_fields = ["name", "location"]
    ordering_fields = ["name", "created_at"]
    # DELETE only for members/{user_id}/: a company itself is not deleted over the API (no destroy mixin).
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.company_create(creator=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.company_update(
            company=serializer.instance, actor=self.request.user, data=serializer.validated_data
        )

    @extend_schema(
        methods=["POST"],
        request=s.InvitationCreateSerializer,
        responses={201: s.InvitationSerializer},
        description="The company's recruiters invite an address; the accept link is mailed to it.",
    )
    @extend_schema(methods=["GET"], responses={200: s.InvitationSerializer(many=True)})
    @action(detail=True, methods=["get", "post"], url_path="invitations", pagination_class=None)
    def invitations(self, request, pk=None):
        company = self.get_object()
        if request.method == "GET":
            if not teams.is_company_recruiter(request.user, company):
                raise PermissionDenied("Only the company's recruiters see its invitations.")
            return Response(s.InvitationSerializer(company.invitations.select_related("company"), many=True).data)
        serializer = s.InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = teams.company_invitation_create(company=company, inviter=request.user, **serializer.validated_data)
        return Response(s.InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.MemberSerializer(many=True)})
    @action(detail=True, methods=["get"], url_path="members", pagination_class=None)
    def members(self, request, pk=None):
        company = self.get_object()
        if not (request.user.is_authenticated and (request.user.is_admin or request.user.company_id == company.pk)):
            raise PermissionDenied("Only the company's recruiters see its members.")
        return Response(s.MemberSerializer(selectors.company_members(company), many=True).data)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<user_id>[0-9]{1,18})")
    def remove_member(self, request, pk=None, user_id=None):
        company = self.get_object()
        teams.company_member_remove(company=company, actor=request.user, member_id=int(user_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationAcceptView(APIView):
    """The mailed link's action: a signed-in recruiter joins; signed out, a new recruiter account is made for
    the invited address (password and name in the body) and joins."""

    permission_classes = [AllowAny]
    throttle_scope = "auth"

    @extend_schema(
        request=s.InvitationAcceptNewSerializer,
        responses={200: s.InvitationAcceptedSerializer, 201: s.InvitationAcceptedSerializer},
    )
    def post(self, request, token: str):
        if request.user.is_authenticated:
            invitation = teams.company_invitation_accept(token=token, user=request.user)
            body = {"company": invitation.company, "user": request.user}
            return Response(s.InvitationAcceptedSerializer(body).data)
        serializer = s.InvitationAcceptNewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user, invitation = teams.company_invitation_accept_new(token=token, **serializer.validated_data)
        refresh = RefreshToken.for_user(user)
        body = {"company": invitation.company, "user": user, "access": str(refresh.access_token)}
        body["refresh"] = str(refresh)
        return Response(s.InvitationAcceptedSerializer(body).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        description="Open jobs (and every job of your own company). Filter with `status` to see "
        "closed ones; `skills` needs every listed skill."
    ),
)
class JobViewSet(viewsets.ModelViewSet):
    serializer_class = s.JobSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_class = JobFilter
    search_fields = JOB_SEARCH_FIELDS
    ordering_fields = ["created_at", "salary_min", "salary_max", "title", "published_at"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        jobs = selectors.jobs_visible_to(user)
        if self.action == "list" and "status" not in self.request.query_params and not getattr(user, "is_admin", False):
            default = Q(status=JobStatus.OPEN)
            if getattr(user, "company_id", None):
                default |= Q(company_id=user.company_id)
            jobs = jobs.filter(default)
        return jobs

    def get_permissions(self):
        if self.action == "create":
            return [IsRecruiterOrAdmin()]
        return super().get_permissions()

    def list(self, request, *args, **kwargs):
        # The list is the same for everyone who sees the same jobs: cache it per audience and query.
        user = request.user
        if getattr(user, "is_admin", False):
            audience = "admin"
        elif getattr(user, "company_id", None):
            audience = f"company-{user.company_id}"
        else:
            audience = "public"
        key = f"{audience}|{request.get_host()}|{request.get_full_path()}"
        data = cached(
            "jobs",
            key,
            lambda: super(JobViewSet, self).list(request, *args, **kwargs).data,
            timeout=settings.KAZI_CACHE_SECONDS,
        )
        return Response(data)

    def perform_create(self, serializer):
        user = self.request.user
        fields = dict(serializer.validated_data)
        company = fields.pop("company", None)
        if not user.is_admin:
            company = user.company
        if company is None:
            message = "This field is required." if user.is_admin else "Create or join a company before posting jobs."
            raise ValidationError({"company": [message]})
        serializer.instance = services.job_create(company=company, posted_by=user, **fields)

    def perform_update(self, serializer):
        serializer.instance = services.job_update(
            job=serializer.instance, actor=self.request.user, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.job_delete(job=instance, actor=self.request.user)

    @extend_schema(
        request=s.SkillSuggestionIn,
        responses={200: s.SkillSuggestionOut},
        description="Skills a job's title and description name that `listed` does not: what `skills_suggested` "
        "will say once the job is saved, for a form to offer while the recruiter types.",
    )
    @action(detail=False, methods=["post"], url_path="suggest-skills", permission_classes=[IsRecruiterOrAdmin])
    def suggest_skills(self, request):
        serializer = s.SkillSuggestionIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"skills": text_skills(**serializer.validated_data)})

    @extend_schema(request=s.ApplySerializer, responses={201: s.ApplicationSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsJobSeeker])
    def apply(self, request, pk=None):
        job = self.get_object()
        serializer = s.ApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        resume = None
        if serializer.validated_data.get("resume"):
            resume = Document.objects.filter(pk=serializer.validated_data["resume"], owner=request.user).first()
            if resume is None:
                return Response({"resume": ["No such resume among your documents."]}, status=400)
        application = services.application_create(
            job=job, candidate=request.user, cover_letter=serializer.validated_data["cover_letter"], resume=resume
        )
        return Response(s.ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: _DETAIL, 200: _DETAIL, 204: None})
    @action(detail=True, methods=["post", "delete"], permission_classes=[IsJobSeeker])
    def bookmark(self, request, pk=None):
        job = self.get_object()
        request.data  # noqa: B018 - no fields, but a malformed body is a 400 here as on every other write
        if request.method == "DELETE":
            services.bookmark_remove(user=request.user, job=job)
            return Response(status=status.HTTP_204_NO_CONTENT)
        _, created = services.bookmark_add(user=request.user, job=job)
        return Response(
            {"detail": "Bookmarked." if created else "Already bookmarked."},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ApplicationSerializer
    filterset_class = ApplicationFilter
    search_fields = ["job__title", "candidate__first_name", "candidate__last_name", "candidate__email"]
    ordering_fields = ["created_at", "updated_at", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Application.objects.none()
        applications = selectors.applications_visible_to(self.request.user)
        if self.action in ("list", "retrieve", "partial_update"):
            applications = applications.prefetch_related("status_changes")
        return applications

    @extend_schema(
        request=s.ApplicationStatusSerializer,
        responses={200: s.ApplicationSerializer},
        description="Recruiters move the status one step forward or reject; the candidate may only withdraw.",
    )
    def partial_update(self, request, pk=None):
        application = self.get_object()
        serializer = s.ApplicationStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = services.application_change_status(
            application=application, new_status=serializer.validated_data["status"], actor=request.user
        )
        return Response(s.ApplicationSerializer(application).data)

    @extend_schema(
        request=s.ApplicationBulkStatusSerializer,
        responses={200: s.ApplicationBulkStatusResultSerializer},
        description=(
            "Recruiters: move several applications to one status in one request (at most 200), each forward "
            "stage by stage (every stage recorded and announced, as single PATCHes would) or to rejected. Those "
            "that may not go there are listed in `skipped` with the reason; the others still move."
        ),
    )
    @action(detail=False, methods=["post"], url_path="bulk-status", permission_classes=[IsRecruiterOrAdmin])
    def bulk_status(self, request):
        serializer = s.ApplicationBulkStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        moved, skipped = services.applications_change_status(
            application_ids=serializer.validated_data["application_ids"],
            new_status=serializer.validated_data["status"],
            actor=request.user,
        )
        return Response({"moved": s.ApplicationSerializer(moved, many=True).data, "skipped": skipped})

    @extend_schema(
        parameters=[OpenApiParameter("job", OpenApiTypes.INT, required=True)],
        responses={(200, "text/csv"): OpenApiResponse(description="One row per application, oldest first")},
        description="The job's recruiters: every application to the job as CSV, streamed.",
    )
    @action(detail=False, methods=["get"], renderer_classes=[JSONRenderer, CSVRenderer])
    def export(self, request):
        raw = request.query_params.get("job", "")
        if not raw.strip().isdigit():
            raise ValidationError({"job": ["Give the id of one of your company's jobs."]})
        job = get_object_or_404(selectors.jobs_visible_to(request.user), pk=int(raw))
        if not services.can_manage_company(request.user, job.company):
            raise PermissionDenied("Only the job's company exports its applications.")
        response = StreamingHttpResponse(application_csv_lines(job), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="applications-job-{job.pk}.csv"'
        return response

    @extend_schema(request=s.ApplicationNoteSerializer, responses={200: s.ApplicationNoteSerializer(many=True)})
    @action(detail=True, methods=["get", "post"], permission_classes=[IsRecruiterOrAdmin])
    def notes(self, request, pk=None):
        """Notes on the applicant, shared by the recruiters of the job's company."""
        application = self.get_object()
        if not services.can_manage_company(request.user, application.job.company):
            raise PermissionDenied("Only the job's company reads and writes notes on its applicants.")
        if request.method == "POST":
            serializer = s.ApplicationNoteSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            note = services.application_note_add(
                application=application, author=request.user, body=serializer.validated_data["body"]
            )
            return Response(s.ApplicationNoteSerializer(note).data, status=status.HTTP_201_CREATED)
        notes = application.notes.select_related("author")
        return Response(s.ApplicationNoteSerializer(notes, many=True).data)


class CandidateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Job-seeker profiles, for recruiters and admins: those whose `visibility` lets the caller find them."""

    serializer_class = s.CandidateSerializer
    permission_classes = [IsRecruiterOrAdmin]
    # CandidateFilter's `search` is the full-text one; DRF's SearchFilter would claim the name in the schema.
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = CandidateFilter
    ordering_fields = ["experience_years", "updated_at"]
    lookup_field = "user_id"
    lookup_url_kwarg = "pk"

    @property
    def ordering(self):
        # A search orders by relevance (CandidateFilter); the default order would undo it. `ordering=` still wins.
        if self.request is not None and self.request.query_params.get("search", "").strip():
            return None
        return ["-updated_at", "-id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return JobSeekerProfile.objects.none()
        return selectors.candidates_visible_to(self.request.user)

    @extend_schema(
        parameters=[OpenApiParameter("company", OpenApiTypes.INT, description="Admins: which company.")],
        responses={(200, "text/csv"): OpenApiResponse(description="One row per candidate who applied")},
        description="Your company's candidates (everyone who applied to its jobs) as CSV, streamed.",
    )
    @action(detail=False, methods=["get"], renderer_classes=[JSONRenderer, CSVRenderer], filter_backends=[])
    def export(self, request):
        company = request.user.company if request.user.is_recruiter else None
        if request.user.is_admin:
            raw = request.query_params.get("company", "")
            if not raw.strip().isdigit():
                raise ValidationError({"company": ["Give the id of the company to export."]})
            company = get_object_or_404(Company, pk=int(raw))
        if company is None:
            raise ValidationError({"detail": "Create or join a company first."})
        response = StreamingHttpResponse(candidate_csv_lines(company), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="candidates-{company.slug}.csv"'
        return response


class DocumentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.DocumentSerializer
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["document_type", "status"]
    ordering_fields = ["created_at", "size"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Document.objects.none()
        return selectors.documents_visible_to(self.request.user)

    @extend_schema(
        request={"multipart/form-data": s.DocumentUploadSerializer},
        responses={
            201: s.DocumentSerializer,
            413: OpenApiResponse(description="Too large"),
            415: OpenApiResponse(description="Not a PDF, DOC or DOCX"),
        },
    )
    def create(self, request):
        serializer = s.DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            document = services.document_create(
                owner=request.user,
                uploaded_file=serializer.validated_data["file"],
                document_type=serializer.validated_data["document_type"],
            )
        except services.UnsupportedDocumentType as exc:
            raise UnsupportedMediaType(
                serializer.validated_data["file"].content_type or "unknown", detail=str(exc)
            ) from None
        return Response(self.get_serializer(document).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.document_delete(document=instance, actor=self.request.user)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="The file")})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = self.get_object()
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise NotFound("The file of this document is no longer stored.") from None
        # ?inline=1 opens it in the browser (a recruiter's "View resume"); otherwise it is saved as a file.
        return FileResponse(
            handle,
            as_attachment=request.query_params.get("inline") != "1",
            filename=document.download_name,
            content_type=document.content_type,
        )


@extend_schema_view(
    list=extend_schema(
        description="Your saved searches; an active one alerts you (`job_alert`) when a matching job opens."
    )
)
class SavedSearchViewSet(viewsets.ModelViewSet):
    """A job seeker's saved searches: `query` is the /api/jobs/ `search` text, `filters` its filters by name."""

    serializer_class = s.SavedSearchSerializer
    permission_classes = [IsJobSeeker]
    filter_backends = []  # a short personal list: the /api/jobs/ filter names in `filters` must not filter it
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return SavedSearch.objects.none()
        return selectors.saved_searches_visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.saved_search_create(seeker=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.saved_search_update(
            saved_search=serializer.instance, actor=self.request.user, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.saved_search_delete(saved_search=instance, actor=self.request.user)
