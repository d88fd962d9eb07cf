from django.urls import path

from privacy.api import views

urlpatterns = [
    path("auth/export/", views.DataExportView.as_view(), name="auth-export"),
    path("auth/export/download/<str:token>/", views.DataExportDownloadView.as_view(), name="auth-export-download"),
]
