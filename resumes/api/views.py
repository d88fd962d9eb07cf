"""Resume import over HTTP: bulk uploads for recruiters and the company's candidate records."""

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.api.permissions import IsRecruiterOrAdmin
from accounts.models import User
from core.exceptions import PayloadTooLarge
from marketplace.models import Company
from resumes import bulk, candidates
from resumes import selectors as resume_selectors
from resumes.api import serializers as rs
from resumes.models import BulkImport, CandidateRecord


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
