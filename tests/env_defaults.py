"""Loaded with `-p` before pytest-django reads the settings: tests run with the
development defaults unless the environment says otherwise."""

import os

import pytest

os.environ.setdefault("DJANGO_DEBUG", "1")
# Real-time messages of this test session stay apart from any other run on the same Redis
# (user ids repeat across test databases); server processes started by e2e tests inherit it.
os.environ.setdefault("KAZI_REALTIME_PREFIX", f"kazi-test-{os.getpid()}.")
os.environ.setdefault("KAZI_CELERY_QUEUE", f"kazi-test-{os.getpid()}")
# Under pytest-xdist each worker has a test database of its own (test_<name>_gw0, ...), so user ids repeat
# between workers too: each gets channels and a queue of its own within the session's.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    os.environ["KAZI_REALTIME_PREFIX"] += f"{_worker}."
    os.environ["KAZI_CELERY_QUEUE"] += f"-{_worker}"
# The test process itself keeps one connection per thread, as pytest-django expects (its tests' threads
# never return a pooled connection); server processes started by e2e tests run with the pool (servers.py).
os.environ.setdefault("KAZI_DB_POOL_SIZE", "0")
# Mail of tests that start no SMTP server of their own goes nowhere (the discard port, where nothing listens),
# never to the catcher of a `make run` on the same machine; mail tests start aiosmtpd and point Django at it.
os.environ.setdefault("EMAIL_URL", "smtp://127.0.0.1:9")
os.environ.setdefault("KAZI_DB_CONN_MAX_AGE", "60")


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    """The test session is an entry point: before pytest-django reads the settings, it starts the embedded
    PostgreSQL and Redis for the URLs not given, as manage.py does. Collecting runs no test: it starts
    nothing, and URLs that lead nowhere stand in so that the settings load."""
    if early_config.known_args_namespace.collectonly:
        os.environ.setdefault("DATABASE_URL", "postgres://collect-only.invalid/kazi")
        os.environ.setdefault("REDIS_URL", "redis://collect-only.invalid:6379/0")
        return
    from config import embedded

    embedded.ensure_services()
