"""Shapes of resume import: bulk imports, company candidate records, shares, accepting parsed values, and the
seeker's own profile with what their resume proposes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.api.serializers import ProfileSerializer
from marketplace.choices import DocumentType
from marketplace.models import Document, JobSeekerProfile
from resumes.bulk import bulk_import_results
from resumes.models import BulkImport, CandidateRecord
from resumes.profile_fill import ACCEPTABLE_FIELDS, resume_suggestions


class BulkUploadSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=False), allow_empty=False, max_length=500
    )
    company = serializers.SlugField(required=False, help_text="Admins: the slug of the company to import for.")


class BulkImportResultSerializer(serializers.Serializer):
    name = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["pending", "imported", "duplicate", "failed"])
    reason = serializers.CharField(allow_blank=True)
    document_id = serializers.CharField(required=False)
    candidate_id = serializers.IntegerField(required=False, allow_null=True, help_text="The candidate record's id.")


class BulkImportSerializer(serializers.ModelSerializer):
    company = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status = serializers.SerializerMethodField()
    progress = serializers.IntegerField(read_only=True)
    results = serializers.SerializerMethodField()

    class Meta:
        model = BulkImport
        fields = [
            "id",
            "company",
            "created_by",
            "status",
            "progress",
            "total",
            "processed",
            "imported",
            "duplicates",
            "failed",
            "results",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_status(self, bulk: BulkImport) -> str:
        return "completed" if bulk.finished_at else "processing"

    @extend_schema_field(BulkImportResultSerializer(many=True))
    def get_results(self, bulk: BulkImport) -> list[dict]:
        return bulk_import_results(bulk)


class BulkImportSummarySerializer(BulkImportSerializer):
    """An import in a list: its counts, without every file's outcome (GET one import for those)."""

    class Meta(BulkImportSerializer.Meta):
        fields = [f for f in BulkImportSerializer.Meta.fields if f != "results"]
        read_only_fields = fields


class CandidateRecordSerializer(serializers.ModelSerializer):
    company = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    candidate_id = serializers.IntegerField(source="user_id", read_only=True, allow_null=True)
    resume_id = serializers.UUIDField(source="source_document_id", read_only=True, allow_null=True)

    class Meta:
        model = CandidateRecord
        fields = [
            "id",
            "company",
            "candidate_id",
            "name",
            "email",
            "phone",
            "skills",
            "experience_years",
            "job_titles",
            "education",
            "summary",
            "resume_id",
            "created_at",
        ]
        read_only_fields = fields


class CandidateShareSerializer(serializers.Serializer):
    recipient_id = serializers.IntegerField(help_text="The recruiter to share with.")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ShareResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    recipient_id = serializers.IntegerField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class AcceptResumeSerializer(serializers.Serializer):
    fields = serializers.ListField(
        child=serializers.ChoiceField(choices=ACCEPTABLE_FIELDS), allow_empty=False, max_length=len(ACCEPTABLE_FIELDS)
    )


class ResumeSuggestionsSerializer(serializers.Serializer):
    document_id = serializers.UUIDField()
    fields = serializers.DictField(help_text="Profile field → the value the resume proposes, where it differs.")


class OwnProfileSerializer(ProfileSerializer):
    """The seeker's own profile, with what their latest parsed resume proposes for them to accept."""

    resume_suggestions = serializers.SerializerMethodField()

    class Meta(ProfileSerializer.Meta):
        fields = [*ProfileSerializer.Meta.fields, "resume_suggestions"]

    @extend_schema_field(ResumeSuggestionsSerializer(allow_null=True))
    def get_resume_suggestions(self, profile: JobSeekerProfile) -> dict | None:
        latest = (
            Document.objects.filter(
                owner_id=profile.user_id, document_type=DocumentType.RESUME, parsed_at__isnull=False
            )
            .order_by("-parsed_at")
            .first()
        )
        return resume_suggestions(user=profile.user, profile=profile, document=latest)
