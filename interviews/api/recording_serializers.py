from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from interviews.recording_models import Recording


class RecordingSerializer(serializers.ModelSerializer):
    interview_id = serializers.CharField(read_only=True)
    started_by = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField(
        help_text="Where the job's recruiters play or download the file once `ready`; null for everyone else."
    )

    class Meta:
        model = Recording
        fields = [
            "id",
            "interview_id",
            "status",
            "started_by",
            "started_at",
            "stopped_at",
            "finalized_at",
            "abandoned",
            "chunk_count",
            "duration_seconds",
            "size",
            "error",
            "file_url",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {"type": "object", "nullable": True, "properties": {"user_id": {"type": "string"}, "name": {"type": "string"}}}
    )
    def get_started_by(self, recording: Recording) -> dict | None:
        user = recording.started_by
        return {"user_id": str(user.pk), "name": user.full_name} if user else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_file_url(self, recording: Recording) -> str | None:
        if not self.context.get("can_record") or recording.status != "ready":
            return None
        return f"/api/interview/{recording.interview_id}/recordings/{recording.pk}/file/"


class RecordingListSerializer(serializers.Serializer):
    recording_enabled = serializers.BooleanField()
    can_record = serializers.BooleanField(help_text="True for the job's recruiters: start, stop, play, delete.")
    active = RecordingSerializer(allow_null=True, help_text="The recording running now, if any.")
    results = RecordingSerializer(many=True)


class ChunkSerializer(serializers.Serializer):
    recording_id = serializers.IntegerField()
    sequence = serializers.IntegerField()
    size = serializers.IntegerField()
    duplicate = serializers.BooleanField(help_text="True when this sequence number was already stored (a retry).")
