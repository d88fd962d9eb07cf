"""Read-through caching of hot reads in Redis, invalidated by namespace when the data changes.

Each namespace has a version number in the cache; a cached value's key carries the
version it was computed under, so `invalidate()` makes every older entry unreachable at
once (they expire on their own) without scanning keys.
"""

import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

from core import metrics

_MISSING = object()


def _version_key(namespace: str) -> str:
    return f"cache-version:{namespace}"


def _first_version() -> int:
    # Not 1: if Redis evicted the version key, entries of the old versions may still be there.
    return time.time_ns() // 1000


def _version(namespace: str) -> int:
    version = cache.get(_version_key(namespace))
    if version is None:
        cache.add(_version_key(namespace), _first_version(), timeout=None)
        version = cache.get(_version_key(namespace), 0)
    return version


def cached(namespace: str, key: str, compute: Callable[[], Any], *, timeout: int) -> Any:
    digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    full_key = f"cached:{namespace}:{_version(namespace)}:{digest}"
    value = cache.get(full_key, _MISSING)
    if value is not _MISSING:
        metrics.cache_requests.labels(namespace, "hit").inc()
        return value
    metrics.cache_requests.labels(namespace, "miss").inc()
    value = compute()
    cache.set(full_key, value, timeout)
    return value


def _bump(namespaces: tuple[str, ...]) -> None:
    for namespace in namespaces:
        try:
            cache.incr(_version_key(namespace))
        except ValueError:  # never read yet: nothing cached under any version
            cache.add(_version_key(namespace), _first_version(), timeout=None)


def invalidate(*namespaces: str) -> None:
    # Now, so this transaction's own reads see the change; and again at commit, since another
    # request may cache the old rows under the new version before this transaction commits.
    _bump(namespaces)
    transaction.on_commit(lambda: _bump(namespaces))
