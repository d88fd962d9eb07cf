from django.urls import include, path
from rest_framework.routers import SimpleRouter

from interviews.api import recording_views, views

router = SimpleRouter()
router.register("", views.InterviewViewSet, basename="interview")

urlpatterns = [
    path("schedule/", views.ScheduleView.as_view(), name="interview-schedule"),
    path("conflicts/", views.ConflictsView.as_view(), name="interview-conflicts"),
    # The contract's one path without a trailing slash: calendar apps expect a file name.
    path("<int:pk>/calendar.ics", views.CalendarView.as_view(), name="interview-calendar"),
    path("<int:pk>/recordings/", recording_views.RecordingListView.as_view(), name="interview-recordings"),
    path(
        "<int:pk>/recordings/<int:recording_id>/",
        recording_views.RecordingDetailView.as_view(),
        name="interview-recording",
    ),
    path(
        "<int:pk>/recordings/<int:recording_id>/stop/",
        recording_views.RecordingStopView.as_view(),
        name="interview-recording-stop",
    ),
    path(
        "<int:pk>/recordings/<int:recording_id>/chunks/<int:sequence>/",
        recording_views.RecordingChunkView.as_view(),
        name="interview-recording-chunk",
    ),
    path(
        "<int:pk>/recordings/<int:recording_id>/file/",
        recording_views.RecordingFileView.as_view(),
        name="interview-recording-file",
    ),
    path("", include(router.urls)),
]
