from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from marketplace import services
from marketplace.job_search import job_filters_clean
from marketplace.models import (
    Application,
    ApplicationNote,
    ApplicationStatusChange,
    Bookmark,
    Company,
    CompanyInvitation,
    Job,
    JobSeekerProfile,
    SavedSearch,
    SavedSearchAlert,
)
from marketplace.workflow import allowed_transitions


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "location", "owner", "created_at"]
    search_fields = ["name", "slug", "location"]
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ["owner"]


@admin.register(CompanyInvitation)
class CompanyInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "company", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = [("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "company__name"]
    raw_id_fields = ["company", "invited_by", "accepted_by"]
    # The token exists only in the mailed link; what is stored is its hash, of no use to show.
    exclude = ["token_hash"]
    readonly_fields = ["created_at", "accepted_at", "accepted_by"]

    def has_add_permission(self, request):
        # An invitation needs its mail: recruiters send them from the API, which mails the link.
        return False


@admin.register(JobSeekerProfile)
class JobSeekerProfileAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "headline",
        "location",
        "experience_years",
        "experience_level",
        "availability",
        "visibility",
    ]
    list_filter = ["visibility", "experience_level", "availability", "remote"]
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


@admin.register(ApplicationNote)
class ApplicationNoteAdmin(admin.ModelAdmin):
    list_display = ["application", "author", "created_at"]
    search_fields = ["body", "application__candidate__email", "application__job__title"]
    raw_id_fields = ["application", "author"]
    list_select_related = ["application__job", "application__candidate", "author"]


@admin.register(Bookmark)
class BookmarkAdmin(admin.ModelAdmin):
    list_display = ["user", "job", "created_at"]
    search_fields = ["user__email", "job__title"]
    raw_id_fields = ["user", "job"]


class SavedSearchAdminForm(forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["seeker", "name", "query", "filters", "active"]

    def clean_filters(self):
        # The same check as the API: a filter /api/jobs/ does not know would silently match nothing.
        try:
            return job_filters_clean(self.cleaned_data["filters"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["filters"]) from None


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "seeker", "query", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "query", "seeker__email"]
    raw_id_fields = ["seeker"]
    readonly_fields = ["created_at"]
    form = SavedSearchAdminForm


@admin.register(SavedSearchAlert)
class SavedSearchAlertAdmin(admin.ModelAdmin):
    list_display = ["saved_search", "job", "created_at"]
    raw_id_fields = ["saved_search", "job"]
    readonly_fields = ["created_at"]
