"""Resume import over HTTP: bulk uploads for recruiters and the company's candidate records; and where a
marketplace resource meets resumes: the seeker's own profile (with their resume's suggestions), accepting
a resume's values into it, and sharing a job seeker with a colleague."""

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.api.permissions import IsJobSeeker, IsRecruiterOrAdmin
from accounts.models import User
from core.exceptions import PayloadTooLarge
from core.parsers import JSONParser
from marketplace import selectors as marketplace_selectors
from marketplace import services as marketplace_services
from marketplace.api.serializers import DocumentSerializer, ProfileSerializer
from marketplace.models import Company, Document, JobSeekerProfile
from resumes import bulk, candidates
from resumes import selectors as resume_selectors
from resumes.api import serializers as rs
from resumes.models import BulkImport, CandidateRecord
from resumes.profile_fill import profile_accept_resume


def share_response(request, **candidate) -> Response:
    serializer = rs.CandidateShareSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    recipient = User.objects.filter(pk=serializer.validated_data["recipient_id"]).first()
    if recipient is None:
        raise ValidationError({"recipient_id": ["No such user."]})
    share = candidates.candidate_share(
        actor=request.user, recipient=recipient, note=serializer.validated_data["note"], **candidate
    )
    return Response(
        {"id": share.pk, "recipient_id": recipient.pk, "note": share.note, "created_at": share.created_at},
        status=status.HTTP_201_CREATED,
    )


class BulkImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Recruiters upload many resumes (or ZIPs of them); each becomes a candidate record of their company."""

    serializer_class = rs.BulkImportSerializer
    permission_classes = [IsRecruiterOrAdmin]
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return BulkImport.objects.none()
        return resume_selectors.bulk_imports_visible_to(self.request.user)

    def get_serializer_class(self):
        return rs.BulkImportSummarySerializer if self.action == "list" else rs.BulkImportSerializer

    @extend_schema(
        request={"multipart/form-data": rs.BulkUploadSerializer},
        responses={202: rs.BulkImportSerializer, 413: OpenApiResponse(description="An archive is too large")},
    )
    def create(self, request):
        serializer = rs.BulkUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        limit = settings.KAZI_BULK_UPLOAD_MAX_BYTES
        for upload in serializer.validated_data["files"]:
            if upload.size > limit:
                raise PayloadTooLarge(f"{upload.name} is {upload.size} bytes; one upload may be {limit} bytes.")
        created = bulk.bulk_import_create(
            actor=request.user,
            company=self._company(serializer.validated_data.get("company")),
            uploads=serializer.validated_data["files"],
        )
        return Response(self.get_serializer(created).data, status=status.HTTP_202_ACCEPTED)

    def _company(self, slug: str | None) -> Company:
        user = self.request.user
        if user.is_admin:
            company = Company.objects.filter(slug=slug).first() if slug else None
            if company is None:
                raise ValidationError({"company": ["Admins name the company to import for (its slug)."]})
            return company
        if user.company_id is None:
            raise ValidationError({"company": ["Join or create a company before importing resumes."]})
        if slug and slug != user.company.slug:
            raise ValidationError({"company": ["Recruiters import only for their own company."]})
        return user.company


class CandidateRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Candidates a company holds without a login (imported resumes), and those shared with the caller."""

    serializer_class = rs.CandidateRecordSerializer
    permission_classes = [IsRecruiterOrAdmin]
    search_fields = ["name", "email", "summary"]
    ordering_fields = ["created_at", "experience_years", "name"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return CandidateRecord.objects.none()
        return resume_selectors.candidate_records_visible_to(self.request.user)

    @extend_schema(request=rs.CandidateShareSerializer, responses={201: rs.ShareResultSerializer})
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        return share_response(request, record=self.get_object())


class ProfileView(generics.RetrieveUpdateAPIView):
    serializer_class = rs.OwnProfileSerializer
    permission_classes = [IsJobSeeker]
    http_method_names = ["get", "patch", "put", "head", "options"]

    def get_object(self):
        return marketplace_services.profile_for(self.request.user)

    def perform_update(self, serializer):
        serializer.instance = marketplace_services.profile_update(
            profile=serializer.instance, data=serializer.validated_data
        )


# POST /api/documents/{id}/accept/ only; the rest of /api/documents/ is the marketplace's DocumentViewSet.
class ResumeAcceptViewSet(viewsets.GenericViewSet):
    serializer_class = DocumentSerializer
    filter_backends = []  # one document by id: the list's filters have nothing to do here

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Document.objects.none()
        return marketplace_selectors.documents_visible_to(self.request.user)

    @extend_schema(request=rs.AcceptResumeSerializer, responses={200: rs.OwnProfileSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsJobSeeker], parser_classes=[JSONParser, FormParser])
    def accept(self, request, pk=None):
        """Take values parsed from this resume into the profile, over what is there."""
        document = self.get_object()
        serializer = rs.AcceptResumeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = profile_accept_resume(
            user=request.user, document=document, fields=serializer.validated_data["fields"]
        )
        return Response(rs.OwnProfileSerializer(profile, context={"request": request}).data)


# POST /api/candidates/{id}/share/ only; the rest of /api/candidates/ is the marketplace's CandidateViewSet.
# The docstring repeats that viewset's: the schema takes it as the share operation's description.
class SeekerShareViewSet(viewsets.GenericViewSet):
    """Job-seeker profiles, for recruiters and admins: those whose `visibility` lets the caller find them."""

    serializer_class = ProfileSerializer
    permission_classes = [IsRecruiterOrAdmin]
    filter_backends = []  # one candidate by id: the list's filters have nothing to do here
    lookup_field = "user_id"
    lookup_url_kwarg = "pk"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return JobSeekerProfile.objects.none()
        return marketplace_selectors.candidates_visible_to(self.request.user)

    @extend_schema(request=rs.CandidateShareSerializer, responses={201: rs.ShareResultSerializer})
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        return share_response(request, seeker=self.get_object().user)
