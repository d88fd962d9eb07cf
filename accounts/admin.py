from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "user_type", "company", "is_active", "date_joined"]
    list_filter = [
        "user_type",
        "is_active",
        "is_staff",
        ("deletion_requested_at", admin.EmptyFieldListFilter),
        ("email_verified_at", admin.EmptyFieldListFilter),
        "company",
    ]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["company"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "user_type", "company")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        # Clearing "deletion requested at" and ticking "active" undoes a deletion within the grace period.
        ("Dates", {"fields": ("last_login", "date_joined", "email_verified_at", "deletion_requested_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "user_type", "password1", "password2")}),)
