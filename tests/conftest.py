import uuid

import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from notifications import hub as hub_module
from tests import factories


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
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
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
