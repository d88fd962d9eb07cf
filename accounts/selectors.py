"""Reads of accounts that more than one caller needs."""

from django.conf import settings

from accounts.models import User

UNVERIFIED = "Confirm your email address first: follow the link we mailed you (or ask for a new one)."


def email_is_verified(user: User) -> bool:
    """Whether the person may sign in as far as their address goes: always, unless
    KAZI_REQUIRE_EMAIL_VERIFICATION is on and they have not followed their link yet."""
    return not settings.KAZI_REQUIRE_EMAIL_VERIFICATION or user.email_verified_at is not None
