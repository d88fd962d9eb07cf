"""Pages: each renders a template with the little the server knows; the JS modules do the rest over the API."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy

from accounts.choices import UserType
from chat import selectors as chat_selectors
from marketplace import selectors, services
from marketplace.choices import (
    ApplicationStatus,
    Availability,
    EmploymentType,
    ExperienceLevel,
    JobStatus,
    Visibility,
)
from marketplace.models import Job
from web.access import page
from web.forms import EmailLoginForm

SEEKER, RECRUITER, ADMIN = UserType.JOB_SEEKER, UserType.RECRUITER, UserType.ADMIN


class LoginPage(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("web:jobs")


class LogoutPage(auth_views.LogoutView):
    next_page = reverse_lazy("web:login")


@page()
def home(request):
    return redirect("web:jobs")


@page()
def jobs(request):
    return render(
        request,
        "web/jobs.html",
        {"employment_types": EmploymentType.choices, "experience_levels": ExperienceLevel.choices},
    )


@page()
def job_detail(request, job_id: int):
    job = get_object_or_404(selectors.jobs_visible_to(request.user).select_related("company"), pk=job_id)
    context = {"job": job, "can_manage": services.can_manage_company(request.user, job.company)}
    if request.user.user_type == SEEKER:
        # Only the status: the page shows it, the API serves the rest.
        status = request.user.applications.filter(job=job).values_list("status", flat=True).first()
        context |= {
            "application_status": status,
            "bookmarked": request.user.bookmarks.filter(job=job).exists(),
        }
    return render(request, "web/job_detail.html", context)


@page(SEEKER)
def recommendations(request):
    return render(request, "web/recommendations.html")


@page(RECRUITER, ADMIN)
def recruiter_jobs(request):
    return render(request, "web/recruiter_jobs.html")


def _managed_job(request, job_id: int) -> Job | None:
    job = get_object_or_404(selectors.jobs_visible_to(request.user).select_related("company"), pk=job_id)
    return job if services.can_manage_company(request.user, job.company) else None


@page(RECRUITER, ADMIN)
def recruiter_job(request, job_id: int):
    job = _managed_job(request, job_id)
    if job is None:
        return render(request, "web/not_yours.html", status=404)
    return render(request, "web/recruiter_job.html", {"job": job, "statuses": ApplicationStatus.choices})


def _job_form(request, job: Job | None):
    return render(
        request,
        "web/job_form.html",
        {
            "job": job,
            "employment_types": EmploymentType.choices,
            "experience_levels": ExperienceLevel.choices,
            "job_statuses": JobStatus.choices,
            "categories": selectors.job_categories(),
            "can_post": request.user.is_admin or bool(request.user.company_id),
        },
    )


@page(RECRUITER, ADMIN)
def job_new(request):
    return _job_form(request, None)


@page(RECRUITER, ADMIN)
def job_edit(request, job_id: int):
    job = _managed_job(request, job_id)
    if job is None:
        return render(request, "web/not_yours.html", status=404)
    return _job_form(request, job)


@page(RECRUITER, ADMIN)
def candidate(request, user_id: int):
    """A candidate as a recruiter sees them: one they may find, or one who applied to their company."""
    profile = selectors.candidate_for_recruiter(request.user, user_id)
    if profile is None:
        return render(request, "web/not_yours.html", status=404)
    applications = (
        selectors.applications_visible_to(request.user).filter(candidate_id=user_id).prefetch_related("status_changes")
    )
    return render(request, "web/candidate.html", {"profile": profile, "applications": applications})


@page()
def chat(request, conversation_id=None):
    if conversation_id is not None and chat_selectors.conversation_for(request.user, conversation_id) is None:
        return render(request, "web/not_yours.html", status=404)
    return render(
        request,
        "web/chat.html",
        {"conversation_id": conversation_id or "", "edit_minutes": settings.KAZI_CHAT_EDIT_MINUTES},
    )


@page(SEEKER)
def resume(request):
    return render(request, "web/resume.html")


@page(SEEKER)
def profile(request):
    return render(
        request,
        "web/profile.html",
        {
            "experience_levels": ExperienceLevel.choices,
            "employment_types": EmploymentType.choices,
            "availabilities": Availability.choices,
            "visibilities": Visibility.choices,
        },
    )


@page(SEEKER)
def my_applications(request):
    applications = (
        selectors.applications_visible_to(request.user).prefetch_related("status_changes").order_by("-created_at")
    )
    return render(request, "web/my_applications.html", {"applications": applications})


@page(SEEKER)
def bookmarks(request):
    saved = request.user.bookmarks.select_related("job__company").order_by("-created_at")
    return render(request, "web/bookmarks.html", {"bookmarks": saved})


@page()
def dashboard(request):
    return render(request, "web/dashboard.html")
