"""GET /metrics for Prometheus: django-prometheus's figures and ours, behind an optional bearer token."""

import hmac

from django.conf import settings
from django.http import HttpResponse
from django_prometheus.exports import ExportToDjangoView

from core.metrics import register_shared_collector


def metrics(request):
    token = settings.KAZI_METRICS_TOKEN
    if token:
        offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(offered.encode(), token.encode()):
            return HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
    register_shared_collector()
    return ExportToDjangoView(request)
