import pytest

from tests import factories
from tests.conftest import client_for
from tests.notifications.redis_listener import RedisListener


@pytest.fixture
def new_seeker(db):
    """A seeker who has just registered: names and an empty profile, as register leaves them."""
    user = factories.UserFactory(first_name="", last_name="", user_type="job_seeker")
    factories.ProfileFactory(user=user, headline="", experience_years=0, experience_level="", skills=[], skill_names=[])
    return user


@pytest.fixture
def new_seeker_client(new_seeker):
    return client_for(new_seeker)


@pytest.fixture
def listener():
    listening = RedisListener()
    yield listening
    listening.close()
