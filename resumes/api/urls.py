from django.urls import include, path
from rest_framework.routers import DefaultRouter

from resumes.api import views


class _Router(DefaultRouter):
    # The marketplace's router serves the API root; this one adds its routes only.
    include_root_view = False


router = _Router()
# Before the marketplace's `documents/{id}/` (config/urls.py includes this first): "bulk" is no document id.
router.register("documents/bulk", views.BulkImportViewSet, basename="bulk-import")
router.register("documents", views.ResumeAcceptViewSet, basename="document")
router.register("candidates", views.SeekerShareViewSet, basename="candidate")
router.register("candidate-records", views.CandidateRecordViewSet, basename="candidate-record")

urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("", include(router.urls)),
]
