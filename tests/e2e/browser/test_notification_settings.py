"""Notification settings in a real browser: kinds by channel and the email switch, saved over the API."""

import pytest

from notifications.models import NotificationPreference
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_seeker_turns_kinds_off_per_channel_and_then_all_mail(live, pages):
    seeker = factories.SeekerFactory(first_name="Amina")
    page = pages.open(seeker, live["a"], "/jobs/")
    page.get_by_role("link", name="Settings").click()
    page.wait_for_url("**/settings/notifications/")

    reminder_mail = page.get_by_label("Interview reminder by email")
    reminder_mail.wait_for()
    assert reminder_mail.is_checked()
    reminder_mail.uncheck()
    page.get_by_label("Saved search: a new matching job in Kazi").uncheck()
    page.get_by_role("button", name="Save").click()
    page.locator("#prefs-status", has_text="Saved.").wait_for()

    preference = NotificationPreference.objects.get(user=seeker)
    assert preference.email_types["interview_reminder"] is False
    assert preference.muted_types == ["job_alert"]

    page.get_by_label("Send me email").uncheck()
    page.locator("#prefs-status", has_text="Saved.").wait_for()
    assert page.get_by_label("Interview scheduled or moved by email").is_disabled()
    preference.refresh_from_db()
    assert preference.email_enabled is False

    page.reload()
    page.get_by_label("Interview reminder by email").wait_for()
    assert not page.get_by_label("Send me email").is_checked()
    assert not page.get_by_label("Saved search: a new matching job in Kazi").is_checked()
