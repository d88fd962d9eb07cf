from rest_framework.permissions import BasePermission


class IsJobSeeker(BasePermission):
    message = "Only job seekers can do this."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_job_seeker)


class IsRecruiterOrAdmin(BasePermission):
    message = "Only recruiters and admins can do this."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_recruiter or user.is_admin))
