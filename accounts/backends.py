"""How a person signs in: Django's model backend, refusing an address that still awaits verification."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        # Checked on every request of a session too (get_user), so turning the setting on takes effect at once.
        return not settings.KAZI_REQUIRE_EMAIL_VERIFICATION or getattr(user, "email_verified_at", None) is not None
