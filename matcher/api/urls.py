from django.urls import include, path
from rest_framework.routers import DefaultRouter
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from matcher.api import resume_views, serializers, views

router = DefaultRouter()
router.register("documents/bulk", resume_views.BulkImportViewSet, basename="bulk-import")
router.register("candidate-records", resume_views.CandidateRecordViewSet, basename="candidate-record")
router.register("companies", views.CompanyViewSet, basename="company")
router.register("jobs", views.JobViewSet, basename="job")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("candidates", views.CandidateViewSet, basename="candidate")
router.register("documents", views.DocumentViewSet, basename="document")


class ThrottledTokenObtainPairView(TokenObtainPairView):
    throttle_scope = "auth"


urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="auth-register"),
    path("auth/token/", ThrottledTokenObtainPairView.as_view(), name="auth-token"),
    path(
        "auth/token/refresh/",
        TokenRefreshView.as_view(serializer_class=serializers.SafeTokenRefreshSerializer),
        name="auth-token-refresh",
    ),
    path("auth/me/", views.MeView.as_view(), name="auth-me"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("", include(router.urls)),
]
