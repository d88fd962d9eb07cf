"""A job seeker's pages in a real browser: the profile (edit, skills, resume suggestions accepted one by one,
visibility), applications with their history, bookmarks. Screenshots at 1280 and 390 px."""

import pytest
from django.utils import timezone

from marketplace import services
from marketplace.models import Document
from tests import factories
from tests.e2e.browser.conftest import PHONE, screenshot, wait_live

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeker():
    return factories.SeekerFactory(
        first_name="Amina",
        last_name="Wanjiru",
        profile__headline="Backend developer",
        profile__skills=[{"name": "Python", "level": "advanced", "years": 4}],
        profile__skill_names=["python"],
    )


def parsed_resume(owner) -> Document:
    return Document.objects.create(
        owner=owner,
        document_type="resume",
        original_name="cv.pdf",
        content_type="application/pdf",
        size=100,
        sha256="1" * 64,
        status="completed",
        progress=100,
        parsed_at=timezone.now(),
        parsed_data={"job_titles": ["Senior Software Engineer"], "skills": ["Python", "Kubernetes", "Go"]},
    )


def test_the_profile_takes_resume_suggestions_one_by_one_and_saves_edits(live, pages, seeker):
    parsed_resume(seeker)
    page = pages.open(seeker, live["a"], "/profile/")
    wait_live(page)
    page.locator('#profile-form[data-loaded="true"]').wait_for()
    assert page.get_by_label("Headline", exact=True).input_value() == "Backend developer"
    rows = page.locator("#suggestion-rows .suggestion-row")
    assert rows.count() == 2  # the headline and the skills differ; nothing else is offered
    screenshot(page, "profile-desktop")

    page.get_by_role("button", name="Accept Headline").click()
    page.locator("#pf-saved", has_text="Headline taken from your resume.").wait_for()
    assert page.get_by_label("Headline", exact=True).input_value() == "Senior Software Engineer"
    assert page.locator('#suggestion-rows [data-field="headline"]').count() == 0
    seeker.profile.refresh_from_db()
    assert seeker.profile.headline == "Senior Software Engineer"

    # One skill from the resume, one typed, one removed; and who may find me.
    page.get_by_role("button", name="Add Kubernetes to your skills").click()
    page.get_by_label("Add a skill").fill("PostgreSQL")
    page.get_by_label("Add a skill").press("Enter")
    page.get_by_role("button", name="Remove Python").click()
    page.get_by_label("Only companies I applied to").check()
    page.get_by_label("Location").fill("Mombasa, Kenya")
    page.get_by_role("button", name="Save profile").click()
    page.locator("#pf-saved", has_text="Profile saved.").wait_for()
    seeker.profile.refresh_from_db()
    assert [skill["name"] for skill in seeker.profile.skills] == ["Kubernetes", "PostgreSQL"]
    assert (seeker.profile.visibility, seeker.profile.location) == ("applied", "Mombasa, Kenya")

    phone = pages.open(seeker, live["a"], "/profile/", viewport=PHONE)
    phone.locator('#profile-form[data-loaded="true"]').wait_for()
    screenshot(phone, "profile-phone")


def test_applications_show_their_history_and_bookmarks_can_be_removed(live, pages, seeker):
    recruiter = factories.RecruiterFactory(company__name="Savanna Pay")
    job = factories.JobFactory(company=recruiter.company, title="Backend Engineer", location="Remote", remote=True)
    other = factories.JobFactory(title="Data Analyst", salary_min=55000, salary_max=68000)
    application = factories.ApplicationFactory(job=job, candidate=seeker)
    services.application_change_status(application=application, new_status="reviewing", actor=recruiter)
    services.application_change_status(application=application, new_status="shortlisted", actor=recruiter)
    factories.ApplicationFactory(job=other, candidate=seeker)
    services.bookmark_add(user=seeker, job=job)
    services.bookmark_add(user=seeker, job=other)

    page = pages.open(seeker, live["a"], "/applications/")
    wait_live(page)
    assert page.locator("#apps-status").inner_text() == "2 applications"
    card = page.locator(f'#my-apps li[data-application-id="{application.pk}"]')
    assert card.locator(".history li").all_inner_texts()[1:] == [
        f"{timezone.now():%-d %b %Y}: moved to Reviewing",
        f"{timezone.now():%-d %b %Y}: moved to Shortlisted",
    ]
    assert "Remote ·" not in card.inner_text() and "Remote" in card.inner_text()
    screenshot(page, "applications-desktop")
    card.get_by_role("button", name="Withdraw from Backend Engineer").click()
    page.locator("#apps-status", has_text="Withdrawn from Backend Engineer.").wait_for()
    application.refresh_from_db()
    assert application.status == "withdrawn"

    page.goto("/bookmarks/")
    assert page.locator("#bookmarks-status").inner_text() == "2 bookmarks"
    assert "USD 55,000–68,000" in page.locator(f'#bookmark-list li[data-job-id="{other.pk}"]').inner_text()
    screenshot(page, "bookmarks-desktop")
    page.get_by_role("button", name="Remove Data Analyst").click()
    page.locator("#bookmarks-status", has_text="Removed Data Analyst. 1 bookmark").wait_for()
    assert list(seeker.bookmarks.values_list("job_id", flat=True)) == [job.pk]

    phone = pages.open(seeker, live["a"], "/applications/", viewport=PHONE)
    phone.locator("#my-apps li").first.wait_for()
    screenshot(phone, "applications-phone")


def test_applying_sends_the_newest_resume_and_the_recruiter_sees_it(live, pages, seeker):
    job = factories.JobFactory(title="Backend Engineer")
    resume = parsed_resume(seeker)
    page = pages.open(seeker, live["a"], f"/jobs/{job.pk}/")
    page.locator("#resume-field:not([hidden])").wait_for()
    assert page.get_by_label("Resume to send").input_value() == str(resume.pk)
    page.get_by_role("button", name="Apply for this job").click()
    page.locator("#application-status", has_text="Pending").wait_for()
    assert job.applications.get().resume_id == resume.pk
