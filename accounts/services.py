"""Writes of accounts: registration (the account lifecycle grows here)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts import signals
from accounts.choices import UserType
from accounts.models import User


@transaction.atomic
def user_register(*, email: str, password: str, user_type: str, first_name: str = "", last_name: str = "") -> User:
    if user_type not in (UserType.JOB_SEEKER, UserType.RECRUITER):
        raise ValidationError({"user_type": ["Only job_seeker or recruiter accounts can register."]})
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": ["A user with this email already exists."]})
    candidate = User(email=email, first_name=first_name, last_name=last_name, user_type=user_type)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=email, password=password, user_type=user_type, first_name=first_name, last_name=last_name
            )
    except IntegrityError:
        # A simultaneous registration with the same email won the unique constraint.
        raise ValidationError({"email": ["A user with this email already exists."]}) from None
    # The marketplace gives a job seeker their profile; resumes link the company records that name them.
    signals.user_registered.send(sender=User, user=user)
    return user
