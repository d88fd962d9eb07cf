from django.urls import path

from web import interview_views, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginPage.as_view(), name="login"),
    path("logout/", views.LogoutPage.as_view(), name="logout"),
    path("jobs/", views.jobs, name="jobs"),
    path("jobs/<int:job_id>/", views.job_detail, name="job"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("recruiter/jobs/", views.recruiter_jobs, name="recruiter-jobs"),
    path("recruiter/jobs/new/", views.job_new, name="job-new"),
    path("recruiter/jobs/<int:job_id>/", views.recruiter_job, name="recruiter-job"),
    path("recruiter/jobs/<int:job_id>/edit/", views.job_edit, name="job-edit"),
    path("recruiter/candidates/<int:user_id>/", views.candidate, name="candidate"),
    path("chat/", views.chat, name="chat"),
    path("chat/<uuid:conversation_id>/", views.chat, name="conversation"),
    path("resume/", views.resume, name="resume"),
    path("profile/", views.profile, name="profile"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("applications/", views.my_applications, name="applications"),
    path("bookmarks/", views.bookmarks, name="bookmarks"),
    path("interview/<int:interview_id>/", interview_views.interview_room, name="interview-room"),
]
