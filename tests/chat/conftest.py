import pytest

from tests import factories
from tests.chat.helpers import direct
from tests.conftest import client_for
from tests.notifications.redis_listener import RedisListener


@pytest.fixture
def conversation(recruiter, seeker):
    """A direct conversation the recruiter opened with the seeker."""
    return direct(recruiter, seeker)


@pytest.fixture
def outsider(db):
    """A seeker who takes part in none of the tests' conversations."""
    return factories.SeekerFactory()


@pytest.fixture
def outsider_client(outsider):
    return client_for(outsider)


@pytest.fixture
def listener():
    listener = RedisListener()
    yield listener
    listener.close()
