from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.utils import timezone

from accounts.choices import UserType
from accounts.managers import UserManager


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    user_type = models.CharField(max_length=20, choices=UserType.choices, default=UserType.JOB_SEEKER)
    company = models.ForeignKey(
        "marketplace.Company",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recruiters",
        help_text="The company a recruiter acts for.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Null until the person followed the link mailed at registration (needed only with
    # KAZI_REQUIRE_EMAIL_VERIFICATION); accounts that existed before verification count as verified.
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # Set when the person deletes their account: it is inactive from then on and erased after
    # KAZI_ACCOUNT_DELETION_GRACE_DAYS by privacy.tasks.erase_deleted_accounts.
    deletion_requested_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["user_type"])]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        # The contract: staff and superusers are always admins.
        if self.is_staff or self.is_superuser:
            self.user_type = UserType.ADMIN
        # Emails are the login and are looked up case-insensitively: store one spelling, whoever saves.
        self.email = (self.email or "").lower()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    @property
    def is_job_seeker(self) -> bool:
        return self.user_type == UserType.JOB_SEEKER

    @property
    def is_recruiter(self) -> bool:
        return self.user_type == UserType.RECRUITER

    @property
    def is_admin(self) -> bool:
        return self.user_type == UserType.ADMIN or self.is_staff or self.is_superuser
