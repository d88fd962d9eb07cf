"""`manage.py check` (and every test run) fails while a model's user key is missing from privacy.inventory."""

from django.core import checks

from privacy.inventory import unlisted_user_keys


def check_personal_data_inventory(app_configs, **kwargs) -> list[checks.Error]:
    return [
        checks.Error(
            f"{label}.{field} points to the User but privacy.inventory.HOLDINGS does not list it",
            hint="Add a Holding saying whether erasure deletes or detaches those rows; the export follows it.",
            id="privacy.E001",
        )
        for label, field in sorted(unlisted_user_keys())
    ]
