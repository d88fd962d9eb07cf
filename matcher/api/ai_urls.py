from django.urls import path

from matcher.api import ai_views as views

urlpatterns = [
    path("recommendations/", views.RecommendationsView.as_view(), name="ai-recommendations"),
    path("recommendations/<int:job_id>/explanation/", views.ExplanationView.as_view(), name="ai-explanation"),
    path("jobs/<int:job_id>/similar/", views.SimilarJobsView.as_view(), name="ai-similar"),
    path("jobs/<int:job_id>/candidates/", views.JobCandidatesView.as_view(), name="ai-candidates"),
    path("jobs/<int:job_id>/applicants/", views.JobApplicantsView.as_view(), name="ai-applicants"),
    path("feedback/", views.FeedbackView.as_view(), name="ai-feedback"),
    path("preferences/update/", views.PreferencesView.as_view(), name="ai-preferences"),
]
