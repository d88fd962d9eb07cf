"""One-time link tokens of accounts, on Django's PasswordResetTokenGenerator (HMAC, expiring after
PASSWORD_RESET_TIMEOUT): each hashes the state its link changes, so a link stops working once used."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts.models import User

password_reset_tokens = default_token_generator


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "accounts.tokens.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        # The verification time and the address: a link dies once used, or when the address changes.
        return f"{user.pk}{user.email}{user.email_verified_at}{timestamp}"


email_verification_tokens = EmailVerificationTokenGenerator()


def uid_of(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def user_of_uid(uid: str) -> User | None:
    """The user a link's `uid` names, or None for anything that is not one (bad base64, unknown id)."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError):
        return None
    return User.objects.filter(pk=pk).first()
