from django.http import FileResponse, Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from privacy import services
from privacy.api.serializers import DataExportSerializer
from privacy.export import export_for_download
from privacy.models import DataExport


class DataExportView(APIView):
    @extend_schema(request=None, responses={202: DataExportSerializer})
    def post(self, request):
        export, _ = services.data_export_request(user=request.user)
        return Response(DataExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={200: DataExportSerializer(many=True)})
    def get(self, request):
        exports = DataExport.objects.filter(user=request.user)[:20]
        return Response(DataExportSerializer(exports, many=True).data)


class DataExportDownloadView(APIView):
    """The link of the notification and the mail: signed for one export of one person, and expiring with it."""

    permission_classes = [AllowAny]

    @extend_schema(responses={(200, "application/zip"): OpenApiResponse(description="The ZIP."), 404: None})
    def get(self, request, token: str):
        export = export_for_download(token)
        if export is None:
            raise Http404("This download link is invalid or has expired.")
        return FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=f"kazi-data-{export.created_at:%Y-%m-%d}.zip",
            content_type="application/zip",
        )
