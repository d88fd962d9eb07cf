from rest_framework import serializers

from analytics.models import EventType
from analytics.services import MAX_METADATA_BYTES


class EventIn(serializers.Serializer):
    event_type = serializers.CharField(max_length=64)
    job_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    metadata = serializers.JSONField(required=False, default=dict)

    def validate_event_type(self, value: str) -> str:
        if value not in EventType.values:
            raise serializers.ValidationError(f"Unknown event type {value!r}; one of {', '.join(EventType.values)}.")
        return value

    def validate_metadata(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError(f"Must be a JSON object (at most {MAX_METADATA_BYTES} bytes).")
        return value


class EventOut(serializers.Serializer):
    id = serializers.IntegerField()
    event_type = serializers.CharField()
    job_id = serializers.CharField(allow_null=True)
    metadata = serializers.JSONField()
    created_at = serializers.DateTimeField()


class DailyStatsOut(serializers.Serializer):
    date = serializers.DateField()
    views = serializers.IntegerField()
    applications = serializers.IntegerField()
    bookmarks = serializers.IntegerField()


class JobAnalyticsOut(serializers.Serializer):
    job_id = serializers.CharField()
    as_of = serializers.DateTimeField(allow_null=True)
    views = serializers.IntegerField()
    unique_views = serializers.IntegerField()
    applications = serializers.IntegerField()
    bookmarks = serializers.IntegerField()
    conversion_rate = serializers.FloatField(help_text="Applications per unique viewer (0 without views).")
    daily_stats = DailyStatsOut(many=True)
    viewers = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="`experience_levels` and `locations`: each hour's distinct viewers, summed over the days.",
    )
