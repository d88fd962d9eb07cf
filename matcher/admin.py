from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError

from matcher import services
from matcher.models import (
    Application,
    ApplicationStatusChange,
    Bookmark,
    BulkImport,
    CandidateRecord,
    CandidateShare,
    Company,
    Document,
    Job,
    JobSeekerProfile,
    MatchWeights,
    Recommendation,
    RecommendationFeedback,
    User,
)
from matcher.workflow import allowed_transitions


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "user_type", "company", "is_active", "date_joined"]
    list_filter = ["user_type", "is_active", "is_staff", "company"]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["company"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "user_type", "company")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "user_type", "password1", "password2")}),)


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "location", "created_at"]
    search_fields = ["name", "slug", "location"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(JobSeekerProfile)
class JobSeekerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "headline", "location", "experience_years", "experience_level", "availability"]
    list_filter = ["experience_level", "availability", "remote"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "headline", "location"]
    raw_id_fields = ["user"]
    readonly_fields = ["skill_names", "updated_at"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "company",
        "status",
        "employment_type",
        "experience_level",
        "location",
        "remote",
        "created_at",
    ]
    list_filter = ["status", "employment_type", "experience_level", "remote", "category"]
    search_fields = ["title", "description", "company__name", "location"]
    autocomplete_fields = ["company"]
    raw_id_fields = ["posted_by"]
    readonly_fields = ["skill_names", "created_at", "updated_at", "published_at"]
    date_hierarchy = "created_at"
    list_select_related = ["company"]


class ApplicationStatusChangeInline(admin.TabularInline):
    model = ApplicationStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["old_status", "new_status", "changed_by", "changed_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["candidate", "job", "status", "created_at"]
    list_filter = ["status", "job__company"]
    search_fields = ["candidate__email", "candidate__last_name", "job__title", "job__company__name"]
    raw_id_fields = ["job", "candidate", "resume"]
    list_select_related = ["candidate", "job__company"]
    inlines = [ApplicationStatusChangeInline]
    actions = ["advance_status", "reject"]

    def get_readonly_fields(self, request, obj=None):
        # Status changes go through the workflow service (and its notifications), not a plain save.
        return ["created_at", "updated_at"] + (["status", "job", "candidate"] if obj else [])

    def _move(self, request, queryset, pick):
        moved = 0
        for application in queryset:
            targets = allowed_transitions(application.status, as_candidate=False)
            target = pick(targets)
            if target is None:
                self.message_user(request, f"{application}: '{application.status}' cannot move.", messages.WARNING)
                continue
            try:
                services.application_change_status(application=application, new_status=target, actor=request.user)
                moved += 1
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{application}: {exc}", messages.ERROR)
        self.message_user(request, f"{moved} application(s) updated.")

    @admin.action(description="Advance to the next status")
    def advance_status(self, request, queryset):
        self._move(request, queryset, lambda targets: targets[0] if targets else None)

    @admin.action(description="Reject")
    def reject(self, request, queryset):
        self._move(request, queryset, lambda targets: "rejected" if "rejected" in targets else None)


@admin.register(ApplicationStatusChange)
class ApplicationStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["application", "old_status", "new_status", "changed_by", "changed_at"]
    list_filter = ["new_status"]
    raw_id_fields = ["application", "changed_by"]


@admin.register(Bookmark)
class BookmarkAdmin(admin.ModelAdmin):
    list_display = ["user", "job", "created_at"]
    search_fields = ["user__email", "job__title"]
    raw_id_fields = ["user", "job"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = [
        "original_name",
        "owner",
        "document_type",
        "content_type",
        "size",
        "status",
        "progress",
        "created_at",
    ]
    list_filter = ["document_type", "status", "content_type", "import_outcome"]
    search_fields = ["original_name", "owner__email", "sha256"]
    raw_id_fields = ["owner", "company", "bulk_import"]
    readonly_fields = ["sha256", "size", "content_type", "created_at", "parsed_data", "parsed_at", "profile_filled_at"]
    actions = ["parse_again"]

    @admin.action(description="Parse the selected resumes again")
    def parse_again(self, request, queryset):
        from django.db import transaction

        from matcher.tasks import parse_resume

        resumes = queryset.filter(document_type="resume")
        ids = [str(pk) for pk in resumes.values_list("pk", flat=True)]
        resumes.update(status="uploaded", progress=0, current_step="", error="", profile_filled_at=None)
        transaction.on_commit(lambda: [parse_resume.delay(document_id) for document_id in ids])
        self.message_user(request, f"{len(ids)} resume(s) queued for parsing; profiles are filled only where empty.")


@admin.register(BulkImport)
class BulkImportAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "company",
        "created_by",
        "total",
        "imported",
        "duplicates",
        "failed",
        "created_at",
        "finished_at",
    ]
    list_filter = ["company"]
    raw_id_fields = ["company", "created_by"]
    readonly_fields = ["created_at", "finished_at", "refused"]


@admin.register(CandidateRecord)
class CandidateRecordAdmin(admin.ModelAdmin):
    list_display = ["__str__", "email", "company", "user", "experience_years", "created_at"]
    list_filter = ["company"]
    search_fields = ["name", "email", "phone"]
    raw_id_fields = ["company", "user", "source_document", "created_by"]
    list_select_related = ["company", "user"]


@admin.register(CandidateShare)
class CandidateShareAdmin(admin.ModelAdmin):
    list_display = ["__str__", "shared_by", "shared_with", "created_at"]
    raw_id_fields = ["shared_by", "shared_with", "seeker", "record"]
    list_select_related = ["shared_by", "shared_with", "seeker", "record"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["seeker", "rank", "job", "score", "computed_at"]
    search_fields = ["seeker__email", "job__title"]
    raw_id_fields = ["seeker", "job"]
    list_select_related = ["seeker", "job"]


@admin.register(RecommendationFeedback)
class RecommendationFeedbackAdmin(admin.ModelAdmin):
    list_display = ["seeker", "job", "feedback", "created_at"]
    list_filter = ["feedback"]
    search_fields = ["seeker__email", "job__title"]
    raw_id_fields = ["seeker", "job"]


@admin.register(MatchWeights)
class MatchWeightsAdmin(admin.ModelAdmin):
    """The weights in use (active) and every change, newest first, with how they were chosen."""

    list_display = ["created_at", "source", "active", "weights", "metrics"]
    list_filter = ["source", "active"]
    readonly_fields = ["created_at"]
