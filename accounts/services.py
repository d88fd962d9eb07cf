"""Writes of accounts: registration and the account lifecycle (tokens, passwords, verification, deletion)."""

import uuid

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import signals
from accounts.choices import UserType
from accounts.models import User
from accounts.tokens import email_verification_tokens, password_reset_tokens, uid_of, user_of_uid
from core.mail import mail_queue

INVALID_LINK = "This link is invalid or has expired; ask for a new one."


@transaction.atomic
def user_register(
    *,
    email: str,
    password: str,
    user_type: str,
    first_name: str = "",
    last_name: str = "",
    email_verified: bool = False,
) -> User:
    """A new account. `email_verified`: the caller has proved the address already (an invitation link mailed to
    it); otherwise, with KAZI_REQUIRE_EMAIL_VERIFICATION, a verification link is mailed."""
    if user_type not in (UserType.JOB_SEEKER, UserType.RECRUITER):
        raise ValidationError({"user_type": ["Only job_seeker or recruiter accounts can register."]})
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": ["A user with this email already exists."]})
    candidate = User(email=email, first_name=first_name, last_name=last_name, user_type=user_type)
    _validate_new_password(password, candidate, field="password")
    verify = settings.KAZI_REQUIRE_EMAIL_VERIFICATION and not email_verified
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                user_type=user_type,
                first_name=first_name,
                last_name=last_name,
                # Without the requirement nobody is asked to verify: the address counts as the person's.
                email_verified_at=None if verify else timezone.now(),
            )
    except IntegrityError:
        # A simultaneous registration with the same email won the unique constraint.
        raise ValidationError({"email": ["A user with this email already exists."]}) from None
    if verify:
        _mail_verification_link(user, cause="registered")
    # The marketplace gives a job seeker their profile; resumes link the company records that name them.
    signals.user_registered.send(sender=User, user=user)
    return user


# --- tokens -------------------------------------------------------------------------------
def refresh_token_revoke(*, user: User, refresh: str) -> None:
    """Logout: this refresh token stops working at once (blacklisted), whoever holds a copy."""
    try:
        token = RefreshToken(refresh)
    except TokenError:
        raise ValidationError({"refresh": ["Token is invalid or expired."]}) from None
    if str(token.get("user_id")) != str(user.pk):
        # Not the caller's: revoking someone else's session is not theirs to do (and says nothing about it).
        raise ValidationError({"refresh": ["Token is invalid or expired."]})
    # blacklist() records the token as outstanding first when it was issued before the blacklist existed.
    token.blacklist()


def user_tokens_revoke_all(*, user: User) -> int:
    """Every refresh token issued to the user stops working ("log out everywhere"); answers how many were live."""
    live = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True, expires_at__gt=timezone.now())
    revoked = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in live], ignore_conflicts=True
    )
    return len(revoked)


def tokens_flush_expired() -> int:
    """Forget the records of refresh tokens past their expiry (a blacklisted one with them): they cannot be
    used anyway, and every login adds one."""
    deleted, _ = OutstandingToken.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted


# --- passwords ----------------------------------------------------------------------------
@transaction.atomic
def password_change(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise ValidationError({"old_password": ["The current password is not correct."]})
    _validate_new_password(new_password, user, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    # A changed password signs out every other device: their refresh tokens stop working.
    user_tokens_revoke_all(user=user)


@transaction.atomic
def password_reset_request(*, email: str) -> None:
    """Mail a reset link when the address is an active account's; the caller answers the same either way, so
    nobody learns from it which addresses have accounts."""
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    token = password_reset_tokens.make_token(user)
    mail_queue(
        # One mail per link: a link is the same for the same password and login state within a second.
        key=f"password-reset:{user.pk}:{token}",
        to=user.email,
        template="accounts/password_reset",
        context={
            "name": user.first_name or user.email,
            "reset_url": f"{settings.KAZI_SITE_URL}/reset/{uid_of(user)}/{token}/",
            "valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        },
    )


@transaction.atomic
def password_reset_confirm(*, uid: str, token: str, new_password: str) -> User:
    user = _user_of_link(uid, token, password_reset_tokens)
    _validate_new_password(new_password, user, field="new_password")
    user.set_password(new_password)
    # The mail reached the address, so it is verified as much as a verification link would have.
    user.email_verified_at = user.email_verified_at or timezone.now()
    user.save(update_fields=["password", "email_verified_at"])
    # Whoever reset the password may have done it because someone else got in: sign everyone out.
    user_tokens_revoke_all(user=user)
    return user


def _user_of_link(uid: str, token: str, tokens) -> User:
    """The active user a mailed link (uid + token of `tokens`) is for, or the same 400 for any bad link."""
    user = user_of_uid(uid)
    if user is None or not user.is_active or not tokens.check_token(user, token):
        raise ValidationError({"token": [INVALID_LINK]})
    return user


def _validate_new_password(password: str, user: User, *, field: str) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


# --- email verification -------------------------------------------------------------------
@transaction.atomic
def email_verification_resend(*, email: str) -> None:
    """A new link for an address that awaits one; nothing (and the same answer) for any other."""
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email, is_active=True, email_verified_at__isnull=True).first()
    if user is not None:
        # Asked for explicitly (and throttled per address): a mail each time, even with the same link.
        _mail_verification_link(user, cause=f"resend:{uuid.uuid4().hex}")


@transaction.atomic
def email_verify(*, uid: str, token: str) -> User:
    user = _user_of_link(uid, token, email_verification_tokens)
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    return user


def _mail_verification_link(user: User, *, cause: str) -> None:
    token = email_verification_tokens.make_token(user)
    mail_queue(
        key=f"verify-email:{user.pk}:{cause}",
        to=user.email,
        template="accounts/verify_email",
        context={
            "name": user.first_name or user.email,
            "verify_url": f"{settings.KAZI_SITE_URL}/verify-email/{uid_of(user)}/{token}/",
        },
    )


# --- deletion -----------------------------------------------------------------------------
@transaction.atomic
def user_delete_request(*, user: User, password: str) -> User:
    """The person deletes their account: inactive at once (no login, no token, no session works), erased by
    privacy.tasks.erase_deleted_accounts after KAZI_ACCOUNT_DELETION_GRACE_DAYS."""
    if not user.check_password(password):
        raise ValidationError({"password": ["The password is not correct."]})
    user = User.objects.select_for_update().get(pk=user.pk)
    user.is_active = False
    user.deletion_requested_at = user.deletion_requested_at or timezone.now()
    user.save(update_fields=["is_active", "deletion_requested_at"])
    user_tokens_revoke_all(user=user)
    return user
