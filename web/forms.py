from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from accounts.selectors import UNVERIFIED, email_is_verified


class EmailLoginForm(AuthenticationForm):
    """Django's login form, labelled for the email the User model logs in with."""

    username = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an active account.",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not email_is_verified(user):
            raise ValidationError(UNVERIFIED, code="email_not_verified")
