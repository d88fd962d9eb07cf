"""Who may open which page: logged in first (else the login page), then the right role (else 403)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import reverse_lazy

LOGIN_URL = reverse_lazy("web:login")


def page(*roles: str):
    """A page for logged-in users; with `roles`, only for users whose `user_type` is one of them."""

    def decorate(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if roles and request.user.user_type not in roles:
                raise PermissionDenied("This page is not for your kind of account.")
            return view(request, *args, **kwargs)

        return login_required(checked, login_url=LOGIN_URL)

    return decorate
