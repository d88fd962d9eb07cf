"""Per-user request limits: a burst limit per minute and a sustained one per hour (both configurable)."""

from rest_framework.throttling import UserRateThrottle


class UserMinuteThrottle(UserRateThrottle):
    scope = "user_minute"


class UserHourThrottle(UserRateThrottle):
    scope = "user_hour"
