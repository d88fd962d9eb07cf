from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from analytics.api.trending import TrendingView
from calls.api import ConversationCallView
from core.errors import api_not_found, server_error
from core.health import health
from core.metrics_view import metrics
from notifications.api.views import SocketStatusView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("metrics", metrics, name="metrics"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("api/", include("accounts.api.urls")),
    path("api/", include("privacy.api.urls")),
    path("api/", include("resumes.api.urls")),
    path("api/", include("marketplace.api.urls")),
    path("api/", include("notifications.api.urls")),
    path("api/chat/conversations/<uuid:pk>/call/", ConversationCallView.as_view(), name="conversation-call"),
    path("api/chat/", include("chat.api.urls")),
    path("api/ai/trending/", TrendingView.as_view(), name="ai-trending"),
    path("api/ai/", include("matcher.api.ai_urls")),
    path("api/analytics/", include("analytics.api.urls")),
    path("api/interview/", include("interviews.api.urls")),
    path("ws/status/", SocketStatusView.as_view(), name="ws-status"),
    path("", include("web.urls")),
]

handler404 = api_not_found
handler500 = server_error
