"""A person with a row in every table that privacy.inventory lists, next to other people's rows."""

import pytest
from model_bakery import baker

from accounts.models import User
from notifications.models import Notification
from privacy.inventory import HOLDINGS
from tests import factories

# Values model_bakery cannot guess: what the tables' check constraints want.
CONSTRAINED = {
    "notifications.NotificationReceipt": lambda: {
        "notification": baker.make(Notification, recipient=None, audience="job_seeker")
    },
    "notifications.Notification": lambda: {"audience": ""},
    "resumes.CandidateShare": lambda: {"seeker": factories.SeekerFactory()},
    "interviews.Assessment": lambda: {"rating": 4},
    # An earlier export, long gone: a pending one would be answered instead of building a new one.
    "privacy.DataExport": lambda: {"status": "expired"},
}


def fill_every_holding(person: User) -> dict[tuple[str, str], object]:
    """One row per holding that refers to `person` (model_bakery fills the other required fields, making other
    users and companies as needed); answers {(model label, field): row}."""
    rows = {}
    for holding in HOLDINGS:
        value = person.email if holding.by_email else person
        existing = holding.model._default_manager.filter(**{holding.field: value}).first()
        if existing is not None and holding.model._meta.get_field(holding.field).unique:
            rows[(holding.label, holding.field)] = existing  # one per person (the seeker's profile)
            continue
        extra = CONSTRAINED.get(holding.label, dict)()
        rows[(holding.label, holding.field)] = baker.make(holding.model, **{**extra, holding.field: value})
    return rows


@pytest.fixture
def person(db):
    return factories.SeekerFactory(email="amina@example.com", first_name="Amina", last_name="Wanjiru")


@pytest.fixture
def everywhere(person):
    return fill_every_holding(person)
