"""Dashboards served from the cache: per seeker and per company, fresh when an application or the rollup moves."""

from collections.abc import Callable

from django.conf import settings

from analytics import selectors
from core.caching import cached, invalidate

# The platform view counts open sockets: it may lag this much, not the full cache time.
PLATFORM_SECONDS = 30


def _namespace_of(user) -> str:
    if user.is_admin:
        return "dashboard-platform"
    if user.is_recruiter:
        return f"dashboard-company-{user.company_id or 0}"
    return f"dashboard-seeker-{user.pk}"


def dashboard_cached(user, key: str, compute: Callable[[], dict]) -> dict:
    # The rollup watermark is in the key: when the hourly rollup lands, every dashboard recomputes.
    namespace = _namespace_of(user)
    timeout = PLATFORM_SECONDS if namespace == "dashboard-platform" else settings.KAZI_CACHE_SECONDS
    return cached(namespace, f"{key}|{selectors.as_of()}", compute, timeout=timeout)


def dashboards_invalidate(application) -> None:
    invalidate(f"dashboard-company-{application.job.company_id}", f"dashboard-seeker-{application.candidate_id}")
