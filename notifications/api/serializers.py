from rest_framework import serializers

from notifications.kinds import BY_TYPE, KINDS, email_default
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


class ChannelsSerializer(serializers.Serializer):
    """One kind's channels. On output also its label, whether it is mailed at once (urgent) rather than in the
    digest; on input those two are ignored, so a client may PUT back what it got."""

    in_app = serializers.BooleanField(required=False)
    email = serializers.BooleanField(required=False)
    label = serializers.CharField(read_only=True)
    urgent = serializers.BooleanField(read_only=True)


class PreferenceSerializer(serializers.ModelSerializer):
    muted_types = serializers.ListField(child=serializers.CharField(max_length=50), max_length=100)
    email_enabled = serializers.BooleanField()
    types = serializers.DictField(
        child=ChannelsSerializer(),
        required=False,
        help_text="Per kind and channel: {kind: {in_app, email}}. Output lists every known kind (and any muted "
        "or set one) with `label` and `urgent`; input may name any kind and leave either channel out.",
    )

    class Meta:
        model = NotificationPreference
        fields = ["muted_types", "email_enabled", "types", "updated_at"]
        read_only_fields = ["updated_at"]

    def validate_types(self, value: dict) -> dict:
        if len(value) > 100:
            raise serializers.ValidationError("At most 100 kinds.")
        if any(not kind or len(kind) > 50 for kind in value):
            raise serializers.ValidationError("Each kind is a name of 1 to 50 characters.")
        return value

    def to_representation(self, preference: NotificationPreference) -> dict:
        # By hand: `types` is no attribute of the row but made from two of its fields and the kinds' defaults.
        data = {
            "muted_types": list(preference.muted_types),
            "email_enabled": preference.email_enabled,
            "updated_at": self.fields["updated_at"].to_representation(preference.updated_at),
        }
        muted = set(preference.muted_types)
        named = [kind.type for kind in KINDS] + sorted((muted | set(preference.email_types)) - set(BY_TYPE))
        data["types"] = {
            kind: {
                "label": BY_TYPE[kind].label if kind in BY_TYPE else kind.replace("_", " ").capitalize(),
                "urgent": kind in BY_TYPE and BY_TYPE[kind].urgent,
                "mail_only": kind in BY_TYPE and BY_TYPE[kind].mail_only,
                "in_app": kind not in muted,
                "email": bool(preference.email_types.get(kind, email_default(kind))),
            }
            for kind in named
        }
        return data


class SocketStatusSerializer(serializers.Serializer):
    active_connections = serializers.IntegerField()
    active_users = serializers.IntegerField()
    rooms = serializers.DictField(child=serializers.IntegerField())
    resume_watchers = serializers.DictField(child=serializers.IntegerField())
    interview_connections = serializers.IntegerField(
        help_text="Sockets in interview rooms (also in active_connections)"
    )
    interviews = serializers.DictField(
        child=serializers.IntegerField(), help_text="Interview id -> sockets in its room"
    )
    processes = serializers.IntegerField()
