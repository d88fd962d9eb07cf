from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from core.exceptions import Conflict
from interviews import services
from interviews.models import Assessment, Attendance, ConnectionQualityReport, Interview, Participant, ReminderDelivery
from interviews.recording_models import Recording, RecordingChunk


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    can_delete = False
    # Time and panel change through the services (conflict checks, notifications, calendar SEQUENCE).
    readonly_fields = ["user", "role", "during", "active"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    can_delete = False
    readonly_fields = ["user", "joined_at", "left_at"]


class AssessmentInline(admin.StackedInline):
    model = Assessment
    extra = 0
    can_delete = False
    readonly_fields = [
        "interviewer",
        "rating",
        "overall_recommendation",
        "technical_skills",
        "soft_skills",
        "feedback",
        "notes",
        "updated_at",
    ]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "job", "candidate", "scheduled_at", "duration", "status", "sequence"]
    list_filter = ["kind", "status", "recording_enabled"]
    search_fields = ["job__title", "job__company__name", "candidate__email", "candidate__last_name"]
    date_hierarchy = "scheduled_at"
    list_select_related = ["job", "candidate"]
    raw_id_fields = ["application", "job", "candidate", "organizer", "cancelled_by"]
    readonly_fields = [
        "kind",
        "chat_conversation_id",
        "application",
        "job",
        "candidate",
        "organizer",
        "scheduled_at",
        "duration",
        "ends_at",
        "status",
        "ical_uid",
        "sequence",
        "started_at",
        "ended_at",
        "cancelled_at",
        "cancelled_by",
        "cancel_reason",
        "created_at",
        "updated_at",
    ]
    inlines = [ParticipantInline, AttendanceInline, AssessmentInline]
    actions = ["cancel_interviews"]

    def has_add_permission(self, request):
        return False  # Booking needs the conflict checks and the application workflow: use the API.

    @admin.action(description="Cancel the selected interviews (notifies the participants)")
    def cancel_interviews(self, request, queryset):
        done = 0
        for interview in queryset:
            try:
                services.interview_cancel(interview=interview, actor=request.user, reason="Cancelled by an admin.")
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"Interview {interview.pk}: {exc}", messages.WARNING)
        self.message_user(request, f"Cancelled {done} interview(s).", messages.SUCCESS)


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["interview", "user", "role", "during", "active"]
    list_filter = ["role", "active"]
    search_fields = ["user__email"]
    raw_id_fields = ["interview", "user"]
    readonly_fields = ["interview", "user", "role", "during", "active"]

    def has_add_permission(self, request):
        return False


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["interview", "user", "joined_at", "left_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["interview", "user"]
    date_hierarchy = "joined_at"


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["interview", "interviewer", "rating", "overall_recommendation", "updated_at"]
    list_filter = ["overall_recommendation", "rating"]
    search_fields = ["interviewer__email", "interview__candidate__email"]
    raw_id_fields = ["interview", "interviewer"]


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(admin.ModelAdmin):
    list_display = ["interview", "user", "minutes_before", "scheduled_at", "sent_at"]
    list_filter = ["minutes_before"]
    raw_id_fields = ["interview", "user"]
    date_hierarchy = "sent_at"


@admin.register(ConnectionQualityReport)
class ConnectionQualityReportAdmin(admin.ModelAdmin):
    list_display = ["interview", "user", "quality", "round_trip_ms", "packet_loss_percent", "reported_at"]
    list_filter = ["quality"]
    raw_id_fields = ["interview", "user"]
    date_hierarchy = "reported_at"


@admin.register(Recording)
class RecordingAdmin(admin.ModelAdmin):
    list_display = ["id", "interview", "status", "started_by", "started_at", "duration_seconds", "size", "abandoned"]
    list_filter = ["status", "abandoned"]
    search_fields = ["interview__job__title", "interview__candidate__email"]
    raw_id_fields = ["interview", "started_by"]
    date_hierarchy = "started_at"
    # Everything is written by the recorder and the assembly; the admin looks, and deletes through the service.
    readonly_fields = [field.name for field in Recording._meta.concrete_fields if field.name not in ("id",)]

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        # Through the service so that the stored file goes with the row (a running one is refused).
        services.recording_delete(recording=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for recording in queryset:
            try:
                services.recording_delete(recording=recording, actor=request.user)
            except (PermissionDenied, ValidationError, Conflict) as exc:
                self.message_user(request, f"Recording {recording.pk}: {exc}", messages.WARNING)


@admin.register(RecordingChunk)
class RecordingChunkAdmin(admin.ModelAdmin):
    list_display = ["recording", "sequence", "size", "received_at"]
    raw_id_fields = ["recording"]
    readonly_fields = ["recording", "sequence", "size", "sha256", "stored_name", "received_at"]

    def has_add_permission(self, request):
        return False
