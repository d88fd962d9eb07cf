from rest_framework import serializers

from notifications.models import Notification, NotificationPreference


class NotificationSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="event_type", read_only=True)
    read = serializers.BooleanField(read_only=True)
    related_object = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "type",
            "notification_type",
            "title",
            "message",
            "priority",
            "data",
            "read",
            "created_at",
            "expires_at",
            "related_object",
        ]
        read_only_fields = fields

    def get_related_object(self, notification) -> dict | None:
        if not notification.content_type_id:
            return None
        return {"type": notification.content_type.model, "id": notification.object_id}


class UnreadCountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class PreferenceSerializer(serializers.ModelSerializer):
    muted_types = serializers.ListField(child=serializers.CharField(max_length=50), max_length=100)
    email_enabled = serializers.BooleanField()

    class Meta:
        model = NotificationPreference
        fields = ["muted_types", "email_enabled", "updated_at"]
        read_only_fields = ["updated_at"]


class SocketStatusSerializer(serializers.Serializer):
    active_connections = serializers.IntegerField()
    active_users = serializers.IntegerField()
    rooms = serializers.DictField(child=serializers.IntegerField())
    resume_watchers = serializers.DictField(child=serializers.IntegerField())
    processes = serializers.IntegerField()
