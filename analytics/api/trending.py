"""GET /api/ai/trending/ (under /api/ai/ with matching's endpoints, which it predates)."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.trending import trending_jobs
from core.caching import cached
from core.params import limit_param, text_param
from marketplace.api.serializers import JobSerializer


class TrendingView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("category", OpenApiTypes.STR), OpenApiParameter("limit", OpenApiTypes.INT)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        category, limit = text_param(request, "category").strip()[:50], limit_param(request)

        def compute():
            return [
                {"job": JobSerializer(job).data, "trend_score": heat}
                for job, heat in trending_jobs(category=category, limit=limit)
            ]

        # Everyone asks the same question here: one computation serves all until the data changes.
        return Response(cached("trending", f"{category}|{limit}", compute, timeout=settings.KAZI_CACHE_SECONDS))
