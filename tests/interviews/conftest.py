import pytest

from tests import factories
from tests.interviews.helpers import shortlisted


@pytest.fixture
def company(db):
    return factories.CompanyFactory(name="Savannah Tech")


@pytest.fixture
def hiring_manager(company):
    """The recruiter who books interviews for the company."""
    return factories.RecruiterFactory(company=company, first_name="Hawa", last_name="Manager")


@pytest.fixture
def colleague(company):
    """A second recruiter of the same company, for panels."""
    return factories.RecruiterFactory(company=company, first_name="Cole", last_name="League")


@pytest.fixture
def rival(db):
    """A recruiter of another company."""
    return factories.RecruiterFactory()


@pytest.fixture
def job(company, hiring_manager):
    return factories.JobFactory(company=company, posted_by=hiring_manager, title="Backend Engineer")


@pytest.fixture
def candidate(db):
    return factories.SeekerFactory(first_name="Amina", last_name="Wanjiru")


@pytest.fixture
def application(job, candidate):
    return shortlisted(job, candidate)
