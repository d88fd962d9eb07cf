"""Dashboards in a real browser: Chart.js served from static/, charts for each role, and a recruiter's charts
updating while open when an application arrives (the throttled `analytics_updated` frame)."""

import json
from pathlib import Path

import pytest

from marketplace import services
from tests import factories
from tests.e2e.browser.conftest import PHONE, screenshot, wait_live

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def points(page, chart: str) -> list:
    return json.loads(page.locator(f"#{chart}").get_attribute("data-points"))


def test_a_recruiters_dashboard_updates_while_open_when_an_application_arrives(live, pages):
    recruiter = factories.RecruiterFactory(company__name="Savanna Pay")
    jobs = [
        factories.JobFactory(company=recruiter.company, title=title) for title in ("Backend Engineer", "Support Lead")
    ]
    for _ in range(3):
        factories.ApplicationFactory(job=jobs[0])
    requests = []
    page = pages.context(recruiter, live["a"]).new_page()
    pages.watch(page)
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/dashboard/")
    wait_live(page)
    page.locator('#dashboard[data-loaded="1"]').wait_for()
    assert page.locator("#dash-stats").get_attribute("data-total") == "3"
    assert points(page, "chart-per-day")[0][-1] == 3  # today, before any rollup
    assert points(page, "chart-funnel")[0][0] == 3  # pending
    screenshot(page, "dashboard-recruiter-desktop")

    seeker = factories.SeekerFactory()
    services.application_create(job=jobs[1], candidate=seeker, cover_letter="")

    page.locator('#dash-stats[data-total="4"]').wait_for(timeout=10_000)
    assert points(page, "chart-per-day")[0][-1] == 4
    assert "Support Lead" in page.locator("#dash-table").inner_text()
    # Applications with no view behind them: no conversion rate to show, not "0%".
    backend_row = page.locator("#dash-table tbody tr", has_text="Backend Engineer")
    assert backend_row.locator("td").nth(4).inner_text() == "—"
    assert page.locator("#insights-table tbody tr").count() == 2  # a forecast for each open job
    assert all(url.startswith((live["a"].http, "ws://127.0.0.1")) for url in requests), requests

    with page.expect_download() as download:
        page.get_by_role("link", name="Export candidates (CSV)").click()
    lines = Path(download.value.path()).read_text().splitlines()
    assert lines[0].startswith("candidate_id,") and len(lines) == 1 + 4  # every applicant, one line each

    phone = pages.open(recruiter, live["a"], "/dashboard/", viewport=PHONE)
    phone.locator('#dashboard[data-loaded="1"]').wait_for()
    screenshot(phone, "dashboard-recruiter-phone")


def test_seeker_and_admin_dashboards_draw_their_charts(live, pages):
    seeker = factories.SeekerFactory()
    application = factories.ApplicationFactory(candidate=seeker)
    page = pages.open(seeker, live["a"], "/dashboard/")
    page.locator('#dashboard[data-loaded="1"]').wait_for()
    assert points(page, "chart-funnel")[0][0] == 1
    screenshot(page, "dashboard-seeker-desktop")
    admin = factories.AdminFactory()
    page = pages.open(admin, live["a"], "/dashboard/")
    page.locator('#dashboard[data-loaded="1"]').wait_for()
    assert points(page, "chart-per-day")[0][-1] >= 1
    assert application.job.title
    screenshot(page, "dashboard-admin-desktop")
