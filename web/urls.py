from django.urls import path

from web import account_views, interview_views, mail_views, recording_views, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginPage.as_view(), name="login"),
    path("logout/", views.LogoutPage.as_view(), name="logout"),
    path("forgot-password/", account_views.forgot_password, name="forgot-password"),
    # The path the contract promises in the reset mail: it ends /reset/{uid}/{token}/.
    path("reset/<str:uid>/<str:token>/", account_views.reset_password, name="reset-password"),
    path("verify-email/<str:uid>/<str:token>/", account_views.verify_email, name="verify-email"),
    path("invitations/<str:token>/", account_views.invitation, name="invitation"),
    path("account/", account_views.account, name="account"),
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
    path("interviews/", interview_views.interviews, name="interviews"),
    path("interviews/<int:interview_id>/", interview_views.interview_detail, name="interview-detail"),
    path(
        "interview/<int:interview_id>/recordings/",
        recording_views.interview_recordings,
        name="interview-recordings",
    ),
    path("settings/notifications/", mail_views.notification_settings, name="notification-settings"),
    path("unsubscribe/<str:token>/", mail_views.unsubscribe, name="unsubscribe"),
]
