from django.urls import include, path
from rest_framework.routers import SimpleRouter

from interviews.api import views

router = SimpleRouter()
router.register("", views.InterviewViewSet, basename="interview")

urlpatterns = [
    path("schedule/", views.ScheduleView.as_view(), name="interview-schedule"),
    path("conflicts/", views.ConflictsView.as_view(), name="interview-conflicts"),
    # The contract's one path without a trailing slash: calendar apps expect a file name.
    path("<int:pk>/calendar.ics", views.CalendarView.as_view(), name="interview-calendar"),
    path("", include(router.urls)),
]
