import threading
import uuid
import weakref
from unittest import mock

import pytest
from django.db.backends.postgresql.operations import DatabaseOperations
from django.db.backends.signals import connection_created
from django.test.utils import override_settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from notifications import hub as hub_module
from tests import factories
from tests.mail import email_url_of, start_smtp

KEPT_ACROSS_FLUSHES = {"django_content_type", "auth_permission"}


@pytest.fixture(scope="session", autouse=True)
def _flush_with_delete():
    """Transactional tests empty every table after each test (Django's `flush`). PostgreSQL's TRUNCATE makes
    new files for each of the ~50 tables and their indexes: 0.3-1.5 s a flush here, against 0.05 s for DELETE
    of the few rows a test leaves. Django's foreign keys are deferred, so the order of the DELETEs is free."""
    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences:
            return original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        # Content types (and the permissions that point at them) stay: flushing them gives them new ids, which the
        # long-running browser-test servers would not know (their ContentType cache keeps the old ones), and a
        # stored event with a related object would then break its foreign key. They are the same in every test.
        return [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
            if table not in KEPT_ACROSS_FLUSHES
        ]

    with mock.patch.object(DatabaseOperations, "sql_flush", sql_flush):
        yield


# Threads that reach the database (database_sync_to_async's, a test's own) end with their connection open:
# Django keeps it in the thread's locals, which only the garbage collector frees (the connection wrapper is a
# reference cycle). Left alone, each transactional test left one or more PostgreSQL connections behind, 40 after
# tests/notifications/test_consumer.py: "too many clients" on a shared server. A collection after each of them
# costs up to 0.5 s once the heap is large; closing the connections of the threads that ended costs nothing.
_thread_connections: list[tuple[weakref.ref, threading.Thread]] = []


def _remember_thread_connection(sender, connection, **kwargs):
    if threading.current_thread() is not threading.main_thread():
        _thread_connections.append((weakref.ref(connection), threading.current_thread()))


connection_created.connect(_remember_thread_connection, dispatch_uid="tests.conftest.thread_connections")


@pytest.fixture(autouse=True)
def _close_connections_of_finished_threads():
    yield
    running = []
    for wrapper_ref, thread in _thread_connections:
        wrapper = wrapper_ref()
        if wrapper is None or wrapper.connection is None or wrapper.connection.closed:
            continue
        if thread.is_alive():
            running.append((wrapper_ref, thread))
        else:
            wrapper.connection.close()  # its thread is gone: nobody else uses it
    _thread_connections[:] = running


@pytest.fixture(scope="session", autouse=True)
def _static_files_looked_up_when_asked():
    """WhiteNoise's middleware lists every static file (~170, admin's and DRF's included) when it is created,
    unless it autorefreshes (its DEBUG default: pytest-django turns DEBUG off). Django's test clients each
    build their middleware, thousands of times in the suite: about 25 ms each, a fifth of the suite's CPU."""
    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield


@pytest.fixture(autouse=True)
def _isolated_cache_and_media(settings, tmp_path):
    # A fresh cache namespace per test keeps throttle counters and cached reads
    # from leaking between tests, without flushing a Redis others may share.
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 costs ~0.3 s a user on this machine and tests make many users: hash new passwords
    # with MD5, and still verify hashes made the regular way.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture
async def _close_hub():
    """Socket tests open sockets on the event loop's hub; close it with the loop's test."""
    yield
    await hub_module.close_hub()


@pytest.fixture
def api_client():
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    # An access token alone: issuing a refresh token records it (a database write, not allowed in async tests).
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


@pytest.fixture
def seeker(db):
    return factories.SeekerFactory()


@pytest.fixture
def recruiter(db):
    return factories.RecruiterFactory()


@pytest.fixture
def admin_user(db):
    return factories.AdminFactory()


@pytest.fixture
def seeker_client(seeker):
    return client_for(seeker)


@pytest.fixture
def recruiter_client(recruiter):
    return client_for(recruiter)


@pytest.fixture
def admin_client_jwt(admin_user):
    return client_for(admin_user)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a loopback port for this test; Django's mail goes to it (pytest-django would use the
    in-memory backend otherwise)."""
    controller, sink = start_smtp()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    sink.url = email_url_of(controller)
    try:
        yield sink
    finally:
        controller.stop()
