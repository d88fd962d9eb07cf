"""Per-user request limits: a burst limit per minute and a sustained one per hour (both configurable)."""

import hashlib

from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle


class UserMinuteThrottle(UserRateThrottle):
    scope = "user_minute"


class UserHourThrottle(UserRateThrottle):
    scope = "user_hour"


class EmailRateThrottle(SimpleRateThrottle):
    """Requests that mail an address (password reset, a new verification link), counted per address: many
    clients together cannot flood one inbox. The address is hashed in the cache key."""

    scope = "email"

    def get_cache_key(self, request, view):
        email = request.data.get("email") if hasattr(request.data, "get") else None
        if not isinstance(email, str) or not email.strip():
            return None  # nothing to count: the serializer answers 400
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}
