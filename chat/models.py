import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone


class ConversationKind(models.TextChoices):
    DIRECT = "direct", "Direct"
    GROUP = "group", "Group"


class MessageType(models.TextChoices):
    TEXT = "text", "Text"
    FILE = "file", "File"
    IMAGE = "image", "Image"


class Conversation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=ConversationKind.choices, default=ConversationKind.DIRECT)
    title = models.CharField(max_length=200, blank=True)
    related_job = models.ForeignKey(
        "marketplace.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    # "<smaller user id>:<larger user id>" for direct conversations: one per pair, enforced by the database.
    direct_key = models.CharField(max_length=50, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-last_message_at", "-created_at"]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} conversation {self.pk}"


class Participant(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_participations")
    joined_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(null=True, blank=True)
    archived = models.BooleanField(default=False)
    # Leaving hides the conversation for this user only; a new message brings it back.
    hidden_at = models.DateTimeField(null=True, blank=True)
    # One stored "message" notification per conversation until the user reads it.
    unread_notified = models.BooleanField(default=False)
    # Muted: messages still count as unread, but bring no toast and no mail.
    muted = models.BooleanField(default=False)
    # Set for a member added to a group later: they read the conversation from this moment on, not what was
    # said before they came (null: the whole history, as for the members a conversation starts with).
    history_from = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="one_participation")]
        indexes = [models.Index(fields=["user", "conversation"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.conversation_id}"


class Message(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="chat_messages"
    )
    content = models.TextField(blank=True)
    message_type = models.CharField(max_length=10, choices=MessageType.choices, default=MessageType.TEXT)
    attachment = models.FileField(upload_to="chat/%Y/%m/", blank=True)
    attachment_name = models.CharField(max_length=255, blank=True)
    attachment_size = models.PositiveBigIntegerField(null=True, blank=True)
    attachment_content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["conversation", "-created_at", "-id"], name="chat_message_page"),
            GinIndex(fields=["search_vector"], name="chat_message_search"),
        ]

    def __str__(self) -> str:
        return f"{self.sender_id}: {self.content[:40]}"
