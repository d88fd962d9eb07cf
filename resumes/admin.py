from django.contrib import admin
from django.db import transaction

from marketplace.models import Document
from resumes.models import BulkImport, CandidateRecord, CandidateShare
from resumes.tasks import parse_resume

# Documents are the marketplace's, but what the admin does with them (parse again, import outcome) is resume import's.


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
