"""The behaviour Kazi's own pages record: a seeker searching on the jobs page and opening a job leaves one
stored `job_search` (its query and filters) and one `job_view` (the job), through /api/analytics/events/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from analytics import rollups
from analytics.models import Event, EventSource, EventType
from tests import factories
from tests.conftest import client_for
from tests.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def recorded(event_type: str):
    return list(Event.objects.filter(event_type=event_type).order_by("id"))


def test_a_search_and_an_opened_job_are_stored_once_each(live, pages):
    recruiter = factories.RecruiterFactory(company__name="Savanna Pay")
    job = factories.JobFactory(company=recruiter.company, title="Backend Engineer", remote=True)
    factories.JobFactory(company=recruiter.company, title="Office Manager", skills_required=[], skill_names=[])
    seeker = factories.SeekerFactory(first_name="Amina")
    page = pages.open(seeker, live["a"], "/jobs/")
    page.locator("#job-count", has_text="2 jobs").wait_for()

    # Typing is not searching: only the submitted search counts, once, whatever the keystrokes.
    search = page.get_by_label("Search", exact=True)
    search.press_sequentially("backend", delay=20)
    page.get_by_label("Remote only").check()
    page.get_by_role("button", name="Search", exact=True).click()
    page.locator("#job-count", has_text="1 job").wait_for()
    wait_until(lambda: recorded(EventType.JOB_SEARCH), timeout=10, what="no job_search was stored")

    # The same search again (a second click, a reload) is not a new search.
    page.get_by_role("button", name="Search", exact=True).click()
    page.reload()
    page.locator("#job-count", has_text="1 job").wait_for()
    page.get_by_role("link", name="Backend Engineer").click()
    page.get_by_role("heading", name="Backend Engineer").wait_for()
    wait_until(lambda: recorded(EventType.JOB_VIEW), timeout=10, what="no job_view was stored")
    page.wait_for_timeout(1_500)  # longer than the page's search delay: a late duplicate would show by now

    [searched] = recorded(EventType.JOB_SEARCH)
    assert (searched.user_id, searched.source) == (seeker.pk, EventSource.CLIENT)
    assert searched.metadata["query"] == "backend"
    assert searched.metadata["filters"] == {"remote": "true"}
    assert searched.metadata["results"] == 1
    [viewed] = recorded(EventType.JOB_VIEW)
    assert (viewed.user_id, viewed.job_id, viewed.source) == (seeker.pk, job.pk, EventSource.CLIENT)

    # What the job's recruiter reads once the hour is rolled up: a view, no longer 0.
    rollups.rollup_pending(now=timezone.now() + timedelta(hours=1))
    figures = client_for(recruiter).get(f"/api/analytics/jobs/{job.pk}/").json()
    assert (figures["views"], figures["unique_views"]) == (1, 1)


def test_the_recruiter_of_the_job_does_not_count_as_its_viewer(live, pages):
    recruiter = factories.RecruiterFactory(company__name="Savanna Pay")
    job = factories.JobFactory(company=recruiter.company, title="Backend Engineer")
    seeker = factories.SeekerFactory()
    page = pages.open(recruiter, live["a"], f"/jobs/{job.pk}/")
    page.get_by_role("link", name="Applications and best candidates").wait_for()
    pages.open(seeker, live["b"], f"/jobs/{job.pk}/").get_by_role("heading", name="Apply").wait_for()
    wait_until(lambda: recorded(EventType.JOB_VIEW), timeout=10, what="the seeker's job_view")
    page.wait_for_timeout(500)
    assert [(event.user_id, event.job_id) for event in recorded(EventType.JOB_VIEW)] == [(seeker.pk, job.pk)]


def test_a_failing_analytics_call_changes_nothing_the_seeker_sees(live, pages):
    job = factories.JobFactory(title="Backend Engineer")
    seeker = factories.SeekerFactory()
    context = pages.context(seeker, live["a"])
    failed = []

    def refuse(route):
        failed.append(route.request.post_data_json["event_type"])
        route.fulfill(status=503, body="down")

    context.route("**/api/analytics/events/", refuse)
    page = context.new_page()
    pages.watch(page)
    pages.allow(r"status of 503")  # the browser's own log line for the refused call; nothing the page shows
    page.goto(f"/jobs/{job.pk}/")
    page.get_by_role("button", name="Bookmark").click()
    page.get_by_role("button", name="Bookmarked").wait_for()
    wait_until(lambda: failed, timeout=10, what="the page's job_view call")

    assert page.url.endswith(f"/jobs/{job.pk}/")  # no detour to an error or the login page
    assert page.locator("#apply-error").inner_text() == ""
    assert failed == ["job_view"]
    assert not recorded(EventType.JOB_VIEW)
