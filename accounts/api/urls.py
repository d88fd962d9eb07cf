from django.urls import path
from rest_framework_simplejwt.views import TokenRefreshView

from accounts.api import serializers, views

urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="auth-register"),
    path("auth/token/", views.ThrottledTokenObtainPairView.as_view(), name="auth-token"),
    path(
        "auth/token/refresh/",
        TokenRefreshView.as_view(serializer_class=serializers.SafeTokenRefreshSerializer),
        name="auth-token-refresh",
    ),
    path("auth/me/", views.MeView.as_view(), name="auth-me"),
]
