from django.contrib import admin

from chat.models import Conversation, Message, Participant


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["joined_at", "last_read_at"]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "title", "related_job", "created_at", "last_message_at"]
    list_filter = ["kind"]
    search_fields = ["title", "participants__user__email"]
    raw_id_fields = ["related_job", "created_by"]
    readonly_fields = ["direct_key", "created_at", "last_message_at"]
    inlines = [ParticipantInline]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["id", "conversation", "sender", "message_type", "created_at", "edited_at", "deleted_at"]
    list_filter = ["message_type"]
    search_fields = ["content", "sender__email"]
    raw_id_fields = ["conversation", "sender"]
    readonly_fields = ["created_at", "edited_at", "search_vector"]
    list_select_related = ["sender", "conversation"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["conversation", "user", "joined_at", "last_read_at", "archived", "muted", "hidden_at"]
    list_filter = ["archived", "muted"]
    raw_id_fields = ["conversation", "user"]
