from django.urls import include, path
from rest_framework.routers import DefaultRouter

from marketplace.api import views

router = DefaultRouter()
router.register("companies", views.CompanyViewSet, basename="company")
router.register("jobs", views.JobViewSet, basename="job")
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("candidates", views.CandidateViewSet, basename="candidate")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("saved-searches", views.SavedSearchViewSet, basename="saved-search")

urlpatterns = [
    path("", include(router.urls)),
    path("invitations/<str:token>/accept/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
]
