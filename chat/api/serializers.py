from rest_framework import serializers

from chat.frames import message_frame, sender_name
from chat.models import Conversation, Message, MessageType


class ParticipantSerializer(serializers.Serializer):
    user_id = serializers.CharField(source="user.pk")
    name = serializers.CharField(source="user.full_name")
    user_type = serializers.CharField(source="user.user_type")
    last_read_at = serializers.DateTimeField()
    online = serializers.SerializerMethodField()

    def get_online(self, participant) -> bool:
        return participant.user_id in self.context.get("online", set())


class ConversationSerializer(serializers.ModelSerializer):
    participants = ParticipantSerializer(many=True, read_only=True)
    unread_count = serializers.IntegerField(read_only=True, default=0)
    archived = serializers.BooleanField(read_only=True, default=False)
    muted = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Conversation
        fields = [
            "id",
            "kind",
            "title",
            "related_job",
            "participants",
            "unread_count",
            "archived",
            "muted",
            "last_message_at",
            "created_at",
        ]
        read_only_fields = fields


class ConversationCreateSerializer(serializers.Serializer):
    participant_id = serializers.IntegerField(required=False, min_value=1)
    participant_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, min_length=1, max_length=50
    )
    title = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    related_job = serializers.IntegerField(required=False, allow_null=True, min_value=1)

    def validate(self, data):
        if ("participant_id" in data) == ("participant_ids" in data):
            raise serializers.ValidationError(
                {"detail": "Give participant_id for a direct conversation or participant_ids for a group."}
            )
        return data


class MessageSerializer(serializers.ModelSerializer):
    conversation_id = serializers.CharField(read_only=True)
    sender_id = serializers.CharField(read_only=True)
    sender_name = serializers.SerializerMethodField()
    attachment = serializers.SerializerMethodField()
    deleted = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id",
            "conversation_id",
            "sender_id",
            "sender_name",
            "content",
            "message_type",
            "attachment",
            "created_at",
            "edited_at",
            "deleted",
        ]
        read_only_fields = fields

    def get_sender_name(self, message) -> str:
        return sender_name(message)

    def get_attachment(self, message) -> dict | None:
        return message_frame(message)["attachment"]

    def get_deleted(self, message) -> bool:
        return message.deleted_at is not None


class MessageCreateSerializer(serializers.Serializer):
    content = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    message_type = serializers.ChoiceField(choices=MessageType.choices, default=MessageType.TEXT)
    attachment = serializers.FileField(required=False, allow_null=True, allow_empty_file=False)


class MessageEditSerializer(serializers.Serializer):
    content = serializers.CharField(allow_blank=True, trim_whitespace=False)


class ParticipantAddSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(min_value=1)


class MuteSerializer(serializers.Serializer):
    muted = serializers.BooleanField()


class ArchiveSerializer(serializers.Serializer):
    archived = serializers.BooleanField()


class SearchResultSerializer(serializers.Serializer):
    message = MessageSerializer(source="*")
    conversation_id = serializers.CharField()
    rank = serializers.FloatField()
    highlight = serializers.CharField()
