from django.contrib import admin

from privacy.models import DataExport


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "status", "size", "created_at", "ready_at", "expires_at"]
    list_filter = ["status"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    # What a person's export holds is theirs: staff see that one was made, not its content.
    exclude = ["file"]
    readonly_fields = ["status", "size", "created_at", "ready_at", "expires_at", "error"]

    def has_add_permission(self, request):
        return False
