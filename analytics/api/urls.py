from django.urls import path

from analytics.api import views

urlpatterns = [
    path("events/", views.EventView.as_view(), name="analytics-events"),
    path("dashboard/", views.DashboardView.as_view(), name="analytics-dashboard"),
    path("dashboard/export/", views.DashboardExportView.as_view(), name="analytics-dashboard-export"),
    path("insights/", views.InsightsView.as_view(), name="analytics-insights"),
    path("platform/", views.PlatformView.as_view(), name="analytics-platform"),
    path("jobs/<int:job_id>/", views.JobAnalyticsView.as_view(), name="analytics-job"),
]
