from django.contrib import admin

from notifications.models import EventLogHorizon, Notification, NotificationPreference, NotificationReceipt


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "event_type",
        "notification_type",
        "recipient",
        "audience",
        "priority",
        "is_read",
        "created_at",
    ]
    list_filter = ["event_type", "priority", "is_read", "audience"]
    search_fields = ["title", "message", "recipient__email"]
    raw_id_fields = ["recipient"]
    readonly_fields = ["created_at", "delivered_at", "read_at"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]


@admin.register(NotificationReceipt)
class NotificationReceiptAdmin(admin.ModelAdmin):
    list_display = ["notification", "user", "read_at", "delivered_at", "deleted_at"]
    raw_id_fields = ["notification", "user"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_enabled", "muted_types", "updated_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(EventLogHorizon)
class EventLogHorizonAdmin(admin.ModelAdmin):
    list_display = ["pruned_through_id", "pruned_at"]
