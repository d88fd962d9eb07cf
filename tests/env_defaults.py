"""Loaded with `-p` before pytest-django reads the settings: tests run with the
development defaults unless the environment says otherwise."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
# Real-time messages of this test session stay apart from any other run on the same Redis
# (user ids repeat across test databases); server processes started by e2e tests inherit it.
os.environ.setdefault("KAZI_REALTIME_PREFIX", f"kazi-test-{os.getpid()}.")
os.environ.setdefault("KAZI_CELERY_QUEUE", f"kazi-test-{os.getpid()}")
# The test process itself keeps one connection per thread, as pytest-django expects (its tests' threads
# never return a pooled connection); server processes started by e2e tests run with the pool (servers.py).
os.environ.setdefault("KAZI_DB_POOL_SIZE", "0")
os.environ.setdefault("KAZI_DB_CONN_MAX_AGE", "60")
