"""The inventory of personal data covers every model with a key to the User: a new one fails here (and in
`manage.py check`) until privacy/inventory.py says how export and erasure treat it."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import models

from accounts.models import User
from privacy.inventory import HOLDINGS, Erase, unlisted_user_keys, user_key_fields


def test_every_user_key_of_every_model_is_listed():
    assert unlisted_user_keys() == set()


def test_the_inventory_lists_only_real_user_keys():
    listed = {(h.label, h.field) for h in HOLDINGS if not h.by_email}
    assert listed <= user_key_fields()


def test_only_nullable_keys_are_detached():
    for holding in HOLDINGS:
        if holding.erase == Erase.DETACH:
            assert holding.model._meta.get_field(holding.field).null, holding


@pytest.fixture
def unlisted_model():
    """A model with a user key that the inventory does not know, in the app registry for one test."""
    meta = type("Meta", (), {"app_label": "privacy"})
    model = type(
        "GiftCard",
        (models.Model,),
        {"__module__": __name__, "Meta": meta, "holder": models.ForeignKey(User, on_delete=models.CASCADE)},
    )
    yield model
    del apps.all_models["privacy"]["giftcard"]
    apps.clear_cache()


def test_a_new_model_with_a_user_key_fails_manage_py_check(unlisted_model):
    assert unlisted_user_keys() == {("privacy.GiftCard", "holder")}
    with pytest.raises(SystemCheckError, match=r"privacy\.GiftCard\.holder points to the User"):
        call_command("check")
