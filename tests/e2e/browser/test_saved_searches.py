"""Job alerts in a real browser: a seeker saves the jobs page's search, pauses and resumes it, and a matching
job opened by a recruiter reaches their page as a `job_alert` toast; the saved search is deleted last."""

import pytest

from marketplace import services
from marketplace.models import SavedSearch
from notifications.models import Notification
from tests import factories
from tests.e2e.browser.conftest import wait_live

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_save_pause_resume_get_an_alert_and_delete(live, pages):
    recruiter = factories.RecruiterFactory(company__name="Savanna Pay")
    factories.JobFactory(company=recruiter.company, title="Backend Engineer", remote=True)
    seeker = factories.SeekerFactory(first_name="Amina")
    page = pages.open(seeker, live["a"], "/jobs/")
    wait_live(page)
    page.locator("#job-list li").first.wait_for()

    page.get_by_label("Search", exact=True).fill("engineer")
    page.get_by_label("Remote only").check()
    page.get_by_role("button", name="Search", exact=True).click()
    page.locator("#job-count", has_text="1 job").wait_for()
    page.get_by_label("Alert name").fill("Remote engineering")
    page.get_by_role("button", name="Save this search").click()
    item = page.locator("#saved-search-list li", has_text="Remote engineering")
    item.wait_for()
    saved = SavedSearch.objects.get(seeker=seeker)
    assert (saved.name, saved.query, saved.filters, saved.active) == (
        "Remote engineering",
        "engineer",
        {"remote": "true"},
        True,
    )

    page.get_by_role("button", name="Pause alerts for Remote engineering").click()
    page.locator('#saved-search-list li[data-active="false"]').wait_for()
    saved.refresh_from_db()
    assert saved.active is False
    page.get_by_role("button", name="Resume alerts for Remote engineering").click()
    page.locator('#saved-search-list li[data-active="true"]').wait_for()

    job = services.job_create(
        company=recruiter.company, posted_by=recruiter, title="Platform Engineer", remote=True, status="open"
    )
    page.locator("#toasts .toast", has_text="Job alert: Platform Engineer").wait_for(timeout=5_000)
    alert = Notification.objects.get(event_type="job_alert", recipient=seeker)
    assert alert.data["job_id"] == str(job.pk)

    page.get_by_role("button", name="Delete saved search Remote engineering").click()
    item.wait_for(state="detached")
    assert not SavedSearch.objects.filter(seeker=seeker).exists()
