from rest_framework import serializers

from privacy.models import DataExport


class DataExportSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataExport
        fields = ["id", "status", "size", "created_at", "ready_at", "expires_at"]
        read_only_fields = fields
