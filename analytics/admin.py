from django.contrib import admin

from analytics.models import Event, EventHourlyCount, JobHourlyStats, JobViewer, RollupWatermark, UserHourlyStats


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rollups are computed, events are a log: the admin shows them, only the rollup writes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["id", "event_type", "source", "user", "job", "created_at"]
    list_filter = ["event_type", "source"]
    search_fields = ["user__email"]
    raw_id_fields = ["user", "job"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "job"]
    show_full_result_count = False  # counting millions of rows on every page is what makes this admin slow


@admin.register(JobHourlyStats)
class JobHourlyStatsAdmin(ReadOnlyAdmin):
    list_display = ["job", "hour", "views", "unique_viewers", "applications", "bookmarks"]
    raw_id_fields = ["job"]
    date_hierarchy = "hour"
    list_select_related = ["job"]


@admin.register(JobViewer)
class JobViewerAdmin(ReadOnlyAdmin):
    list_display = ["job", "user", "first_viewed_at"]
    raw_id_fields = ["job", "user"]


@admin.register(UserHourlyStats)
class UserHourlyStatsAdmin(ReadOnlyAdmin):
    list_display = ["user", "hour", "events", "sessions", "job_views", "jobs_applied", "searches"]
    raw_id_fields = ["user"]
    date_hierarchy = "hour"
    list_select_related = ["user"]


@admin.register(EventHourlyCount)
class EventHourlyCountAdmin(ReadOnlyAdmin):
    list_display = ["hour", "event_type", "events", "users"]
    list_filter = ["event_type"]
    date_hierarchy = "hour"


@admin.register(RollupWatermark)
class RollupWatermarkAdmin(admin.ModelAdmin):
    # Editable on purpose: moving it back makes the next run roll those hours up again.
    list_display = ["name", "computed_through", "updated_at"]
