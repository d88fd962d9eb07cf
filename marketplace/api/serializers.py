from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.html import escape
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import UserSerializer
from accounts.models import User
from marketplace.choices import ApplicationStatus, DocumentType, SkillLevel
from marketplace.job_search import job_filters_clean
from marketplace.models import (
    Application,
    ApplicationNote,
    ApplicationStatusChange,
    Company,
    CompanyInvitation,
    Document,
    Job,
    JobSeekerProfile,
    SavedSearch,
)
from marketplace.selectors import HIGHLIGHT_START, HIGHLIGHT_STOP
from marketplace.services import BULK_MOVE_LIMIT


class CompanySerializer(serializers.ModelSerializer):
    slug = serializers.SlugField(max_length=200, required=False)

    class Meta:
        model = Company
        fields = ["id", "name", "slug", "website", "location", "description", "created_at", "owner"]
        read_only_fields = ["id", "created_at", "owner"]


class CompanyBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Company
        fields = ["id", "name", "slug"]


class JobSerializer(serializers.ModelSerializer):
    company = serializers.PrimaryKeyRelatedField(queryset=Company.objects.all(), required=False)
    company_name = serializers.CharField(source="company.name", read_only=True)
    skills_required = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=100)
    skills_preferred = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=100
    )
    salary_min = serializers.IntegerField(min_value=0, max_value=100_000_000, required=False, allow_null=True)
    salary_max = serializers.IntegerField(min_value=0, max_value=100_000_000, required=False, allow_null=True)
    skills_suggested = serializers.SerializerMethodField(
        help_text="Skills the title and description mention that the job does not list yet (from the taxonomy)."
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "title",
            "description",
            "company",
            "company_name",
            "location",
            "remote",
            "employment_type",
            "experience_level",
            "salary_min",
            "salary_max",
            "currency",
            "skills_required",
            "skills_preferred",
            "category",
            "status",
            "created_at",
            "updated_at",
            "published_at",
            "skills_suggested",
        ]
        read_only_fields = ["id", "company_name", "created_at", "updated_at", "published_at"]

    def get_skills_suggested(self, job) -> list[str]:
        return list(job.skills_extracted)  # extracted when the job was saved, not on every read

    def validate_currency(self, value: str) -> str:
        if len(value) != 3 or not value.isalpha():
            raise serializers.ValidationError("Use a three-letter ISO 4217 code, such as USD.")
        return value.upper()


class SkillSuggestionIn(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=50_000, required=False, allow_blank=True, default="")
    listed = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, max_length=200, default=list
    )


class SkillSuggestionOut(serializers.Serializer):
    skills = serializers.ListField(child=serializers.CharField())


class ApplySerializer(serializers.Serializer):
    cover_letter = serializers.CharField(required=False, allow_blank=True, max_length=20_000, default="")
    resume = serializers.UUIDField(required=False, allow_null=True, help_text="The id of one of your resume documents.")


class DocumentBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "document_type", "original_name"]


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationStatusChange
        fields = ["old_status", "new_status", "changed_at"]
        read_only_fields = fields


class ApplicationSerializer(serializers.ModelSerializer):
    job = serializers.PrimaryKeyRelatedField(read_only=True)
    job_title = serializers.CharField(source="job.title", read_only=True)
    company = CompanyBriefSerializer(source="job.company", read_only=True)
    candidate = serializers.PrimaryKeyRelatedField(read_only=True)
    candidate_name = serializers.CharField(source="candidate.full_name", read_only=True)
    resume = DocumentBriefSerializer(read_only=True)
    history = StatusChangeSerializer(source="status_changes", many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "job",
            "job_title",
            "company",
            "candidate",
            "candidate_name",
            "cover_letter",
            "resume",
            "status",
            "created_at",
            "updated_at",
            "history",
        ]
        read_only_fields = fields


class ApplicationStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)


class ApplicationBulkStatusSerializer(serializers.Serializer):
    application_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=BULK_MOVE_LIMIT
    )
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)


class SkippedApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()


class ApplicationBulkStatusResultSerializer(serializers.Serializer):
    moved = ApplicationSerializer(many=True)
    skipped = SkippedApplicationSerializer(many=True)


class ApplicationNoteSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    body = serializers.CharField(max_length=5000, trim_whitespace=True)

    class Meta:
        model = ApplicationNote
        fields = ["id", "body", "author", "author_name", "created_at"]
        read_only_fields = ["id", "author", "author_name", "created_at"]

    def get_author_name(self, note: ApplicationNote) -> str:
        return note.author.full_name if note.author else "A former recruiter"


_SKILL_OBJECT = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 100},
        "level": {"type": "string", "enum": [*SkillLevel.values], "nullable": True},
        "years": {"type": "number", "minimum": 0, "maximum": 60, "nullable": True},
    },
    "required": ["name"],
}


@extend_schema_field(
    {
        "oneOf": [_SKILL_OBJECT, {"type": "string", "maxLength": 100}],
        "description": 'A skill {"name", "level", "years"}; writes also accept a plain name.',
    }
)
class SkillField(serializers.Field):
    """A profile skill: {"name", "level", "years"}, or a plain name on write."""

    # DRF formats these messages with str.format: literal braces are doubled.
    default_error_messages = {"invalid": 'Give a skill name or {{"name", "level", "years"}}.'}

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = {"name": data}
        if not isinstance(data, dict):
            self.fail("invalid")
        serializer = ProfileSkillSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def to_representation(self, value):
        return value


class ProfileSkillSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    level = serializers.ChoiceField(
        choices=["beginner", "intermediate", "advanced", "expert"], required=False, allow_null=True
    )
    years = serializers.FloatField(min_value=0, max_value=60, required=False, allow_null=True)


class ProfileSerializer(serializers.ModelSerializer):
    user = UserSerializer(read_only=True)
    skills = serializers.ListField(child=SkillField(), required=False, max_length=200)
    preferred_locations = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=50
    )
    desired_salary_min = serializers.IntegerField(min_value=0, max_value=100_000_000, required=False, allow_null=True)
    desired_salary_max = serializers.IntegerField(min_value=0, max_value=100_000_000, required=False, allow_null=True)
    experience_years = serializers.IntegerField(min_value=0, max_value=70, required=False)

    class Meta:
        model = JobSeekerProfile
        fields = [
            "user",
            "headline",
            "summary",
            "skills",
            "location",
            "experience_years",
            "experience_level",
            "desired_salary_min",
            "desired_salary_max",
            "currency",
            "preferred_employment_types",
            "preferred_locations",
            "remote",
            "availability",
            "visibility",
            "updated_at",
        ]
        read_only_fields = ["user", "updated_at"]
        extra_kwargs = {
            "visibility": {
                "help_text": "Who finds you in candidate search: `public` (every recruiter, the default), "
                "`applied` (recruiters of companies you applied to), `hidden` (none; your applications still "
                "show you to their company)."
            }
        }


class CandidateSerializer(ProfileSerializer):
    """A profile as candidate search returns it: with its relevance and matching passages when searching."""

    search_rank = serializers.SerializerMethodField(help_text="Relevance to `search`; null without one.")
    search_highlight = serializers.SerializerMethodField(
        help_text="Passages that match `search`, HTML-escaped, matches in <mark>; null without a search."
    )

    class Meta(ProfileSerializer.Meta):
        fields = [*ProfileSerializer.Meta.fields, "search_rank", "search_highlight"]

    def get_search_rank(self, profile: JobSeekerProfile) -> float | None:
        rank = getattr(profile, "search_rank", None)
        return None if rank is None else round(rank, 6)

    def get_search_highlight(self, profile: JobSeekerProfile) -> str | None:
        passage = getattr(profile, "search_highlight", None)
        if passage is None:
            return None
        return escape(passage).replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")


class DocumentSerializer(serializers.ModelSerializer):
    owner = serializers.PrimaryKeyRelatedField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "owner",
            "document_type",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "status",
            "progress",
            "current_step",
            "error",
            "created_at",
            "download_url",
            "parsed_data",
            "bulk_import",
            "import_outcome",
            "import_reason",
        ]
        read_only_fields = fields

    def get_download_url(self, document: Document) -> str:
        request = self.context.get("request")
        path = f"/api/documents/{document.pk}/download/"
        return request.build_absolute_uri(path) if request else path


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False)
    document_type = serializers.ChoiceField(choices=DocumentType.choices)


class SavedSearchSerializer(serializers.ModelSerializer):
    query = serializers.CharField(max_length=200, required=False, allow_blank=True, help_text="The `search` text.")
    filters = serializers.JSONField(
        required=False, help_text='/api/jobs/ filters by name, e.g. {"remote": "true", "skills": "Python"}.'
    )

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "query", "filters", "active", "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate_filters(self, value):
        try:
            return job_filters_clean(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["filters"]) from None


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class InvitationSerializer(serializers.ModelSerializer):
    company = CompanyBriefSerializer(read_only=True)
    invited_by = serializers.PrimaryKeyRelatedField(read_only=True)
    accepted_by = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = CompanyInvitation
        fields = ["id", "company", "email", "invited_by", "created_at", "expires_at", "accepted_at", "accepted_by"]
        read_only_fields = fields


class InvitationAcceptNewSerializer(serializers.Serializer):
    """Accepting signed out: the new recruiter account's password and name (its address is the invited one)."""

    password = serializers.CharField(max_length=128, style={"input_type": "password"})
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


class InvitationAcceptedSerializer(serializers.Serializer):
    company = CompanyBriefSerializer()
    user = UserSerializer()
    access = serializers.CharField(allow_null=True, required=False)
    refresh = serializers.CharField(allow_null=True, required=False)


class MemberSerializer(serializers.ModelSerializer):
    is_owner = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "is_owner"]
        read_only_fields = fields
