"""A recruiter's pages in a real browser: post, edit, close a job; the pipeline (scores, skills, resume, profile,
drag and drop and its keyboard twin, bulk moves, notes); the CSV export. Screenshots at 1280 and 390 px."""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from marketplace.models import Application, Document, Job
from tests import factories
from tests.e2e.browser.conftest import DESKTOP, PHONE, screenshot, wait_live
from tests.marketplace.helpers import pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seeker_with(first, last, skills):
    return factories.SeekerFactory(
        first_name=first,
        last_name=last,
        profile__skills=[{"name": name, "level": "advanced", "years": 3} for name in skills],
        profile__skill_names=[name.lower() for name in skills],
    )


def resume_of(owner) -> Document:
    """A resume stored in MEDIA_ROOT (the test points it where the servers read their media)."""
    document = Document(
        owner=owner,
        document_type="resume",
        original_name="amina-cv.pdf",
        content_type="application/pdf",
        size=100,
        sha256="0" * 64,
    )
    document.file.save("amina-cv.pdf", ContentFile(pdf_bytes()), save=False)
    document.save()
    return document


@pytest.fixture
def team():
    recruiter = factories.RecruiterFactory(first_name="Wanjiku", last_name="Kamau", company__name="Savanna Pay")
    colleague = factories.RecruiterFactory(first_name="Otieno", last_name="Odhiambo", company=recruiter.company)
    return recruiter, colleague


def test_a_posted_job_reaches_a_seeker_and_closing_it_takes_it_down(live, pages, team):
    recruiter, _ = team
    seeker = seeker_with("Amina", "Wanjiru", ["Python"])
    page = pages.open(recruiter, live["a"], "/recruiter/jobs/")
    wait_live(page)
    page.get_by_role("link", name="Post a job").click()
    page.wait_for_url("**/recruiter/jobs/new/")
    page.get_by_label("Title").fill("Payments Engineer")
    page.get_by_label("Description").fill(
        "We move money across Africa.\n\nYou will:\n- build Python services\n- tune PostgreSQL queries"
    )
    page.get_by_label("Location").fill("Nairobi, Kenya")
    page.get_by_label("Salary from").fill("55000")
    page.get_by_label("Salary up to").fill("68000")
    # The text names Python and PostgreSQL: both are offered, one click adds one.
    page.get_by_role("button", name="Add Python to the required skills").click()
    assert page.get_by_label("Skills required (comma separated)").input_value() == "Python"
    page.get_by_role("button", name="Add PostgreSQL to the required skills").wait_for()
    screenshot(page, "job-form-desktop")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/edit/?saved=open")
    page.locator("#jf-saved", has_text="Published").wait_for()
    job = Job.objects.get(title="Payments Engineer")
    assert (job.status, job.skills_required, job.salary_min, job.salary_max) == ("open", ["Python"], 55000, 68000)

    seeker_page = pages.open(seeker, live["b"], "/jobs/")
    card = seeker_page.locator(f'#job-list li[data-job-id="{job.pk}"]')
    card.wait_for()
    assert "USD 55,000–68,000" in card.inner_text()
    assert "Posted just now" in card.inner_text()
    seeker_page.goto(f"/jobs/{job.pk}/")
    items = seeker_page.locator(".job-description ul li").all_inner_texts()
    assert items == ["build Python services", "tune PostgreSQL queries"]  # a list, not literal "- "

    # Edit, then close from the form: the job leaves the seeker's list.
    page.get_by_label("Title").fill("Senior Payments Engineer")
    page.get_by_role("button", name="Save changes").click()
    page.locator("#jf-saved", has_text="Saved").wait_for()
    page.get_by_role("button", name="Close this job").click()
    page.wait_for_url("**/edit/?saved=closed")
    job.refresh_from_db()
    assert (job.title, job.status) == ("Senior Payments Engineer", "closed")
    seeker_page.goto("/jobs/")
    seeker_page.locator("#job-count").filter(has_text="job").wait_for()
    assert "Senior Payments Engineer" not in seeker_page.locator("#job-list").inner_text()

    # Reopen from the list of the company's jobs.
    page.goto("/recruiter/jobs/")
    row = page.locator(f'#rjobs-list li[data-job-id="{job.pk}"]')
    row.get_by_role("button", name="Reopen Senior Payments Engineer").click()
    page.locator(f'#rjobs-list li[data-job-id="{job.pk}"][data-status="open"]').wait_for()
    assert "0 applications" in page.locator(f'#rjobs-list li[data-job-id="{job.pk}"]').inner_text()


def test_drag_to_shortlisted_reaches_the_seeker_and_the_keyboard_moves_too(live, pages, team):
    recruiter, _ = team
    job = factories.JobFactory(company=recruiter.company, title="Backend Engineer")
    seeker = seeker_with("Amina", "Wanjiru", ["Python", "Django"])
    application = factories.ApplicationFactory(job=job, candidate=seeker)
    seeker_page = pages.open(seeker, live["a"], "/jobs/")
    wait_live(seeker_page)
    page = pages.open(recruiter, live["b"], f"/recruiter/jobs/{job.pk}/")
    wait_live(page)
    card = page.locator(f'.app-card[data-application-id="{application.pk}"]')
    card.wait_for()

    card.drag_to(page.locator('.column[data-status="shortlisted"]'))

    toast = seeker_page.locator("#toasts .toast", has_text="moved to Shortlisted")
    toast.wait_for(timeout=5_000)
    assert "Backend Engineer" in toast.inner_text()
    page.locator(f'.column[data-status="shortlisted"] .app-card[data-application-id="{application.pk}"]').wait_for()
    assert page.locator("#pipeline-status").inner_text() == "Amina Wanjiru moved to Shortlisted."
    application.refresh_from_db()
    assert application.status == "shortlisted"
    assert [c.new_status for c in application.status_changes.all()] == ["reviewing", "shortlisted"]

    # The same with the keyboard: focus the list, choose, press the button.
    page.get_by_label("Move Amina Wanjiru to").select_option("interview")
    page.get_by_label("Move Amina Wanjiru to").press("Tab")
    page.keyboard.press("Enter")
    page.locator(f'.column[data-status="interview"] .app-card[data-application-id="{application.pk}"]').wait_for()
    seeker_page.locator("#toasts .toast", has_text="moved to Interview").wait_for(timeout=5_000)


def test_pipeline_cards_show_the_match_resume_profile_and_shared_notes(live, pages, team, settings):
    recruiter, colleague = team
    job = factories.JobFactory(
        company=recruiter.company,
        title="Backend Engineer",
        skills_required=["Python", "Django", "PostgreSQL"],
        skill_names=["python", "django", "postgresql"],
    )
    amina = seeker_with("Amina", "Wanjiru", ["Python", "Django"])
    baraka = seeker_with("Baraka", "Otieno", ["Figma"])
    settings.MEDIA_ROOT = live.env["KAZI_MEDIA_ROOT"]
    resume = resume_of(amina)
    first = factories.ApplicationFactory(job=job, candidate=amina, resume=resume)
    second = factories.ApplicationFactory(job=job, candidate=baraka, cover_letter="- I learn fast")
    factories.SeekerFactory(first_name="Zero", last_name="Skills", profile__skills=[], profile__skill_names=[])

    page = pages.open(recruiter, live["a"], f"/recruiter/jobs/{job.pk}/")
    wait_live(page)
    card = page.locator(f'.app-card[data-application-id="{first.pk}"]')
    card.locator(".score-pill").wait_for()
    assert card.locator(".score-pill").inner_text().endswith("%")
    assert "." not in card.locator(".score-pill").inner_text()  # whole percents
    assert card.locator(".chips-matched").inner_text().split() == ["Python", "Django"]
    assert card.locator(".chips-missing").inner_text() == "PostgreSQL"
    assert page.locator("#pipeline-status").inner_text() == "2 applications"
    view = card.get_by_role("link", name="View resume of Amina Wanjiru")
    assert view.get_attribute("href") == f"/api/documents/{resume.pk}/download/?inline=1"
    with page.expect_download() as download:
        card.get_by_role("link", name="Download amina-cv.pdf").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    # Best candidates leave out the seeker with none of the job's skills.
    page.locator("#candidates li").first.wait_for()
    assert "Zero Skills" not in page.locator("#candidates").inner_text()

    # A note, read by a colleague on another server process.
    card.locator("summary", has_text="Notes").click()
    card.get_by_label("Note on Amina Wanjiru (your company's recruiters see it)").fill("Strong Django; ask about SQL.")
    card.get_by_role("button", name="Add note").click()
    card.locator(".notes-list li", has_text="Strong Django").wait_for()
    other = pages.open(colleague, live["b"], f"/recruiter/jobs/{job.pk}/")
    other_card = other.locator(f'.app-card[data-application-id="{first.pk}"]')
    other_card.locator("summary", has_text="Notes").click()
    other_card.locator(".notes-list li", has_text="Strong Django; ask about SQL.").wait_for()
    assert "Wanjiku Kamau" in other_card.locator(".notes-list").inner_text()

    # Bulk: both to Reviewing at once.
    page.get_by_label("Select Amina Wanjiru").check()
    page.get_by_label("Select Baraka Otieno").check()
    page.locator("#bulk-count", has_text="2 applications selected").wait_for()
    page.get_by_label("Move selected to").select_option("reviewing")
    page.get_by_role("button", name="Move selected").click()
    page.locator("#pipeline-status", has_text="2 applications moved to Reviewing.").wait_for()
    assert set(Application.objects.filter(job=job).values_list("status", flat=True)) == {"reviewing"}
    screenshot(page, "pipeline-desktop")

    # The profile behind the name.
    page.get_by_role("link", name="Amina Wanjiru").first.click()
    page.wait_for_url(f"**/recruiter/candidates/{amina.pk}/")
    assert page.locator("h1").inner_text() == "Amina Wanjiru"
    assert "moved to Reviewing" in page.locator(".history").inner_text()
    screenshot(page, "candidate-desktop")

    phone = pages.open(recruiter, live["a"], f"/recruiter/jobs/{job.pk}/", viewport=PHONE)
    phone.locator(f'.app-card[data-application-id="{second.pk}"] .score-pill').wait_for()
    screenshot(phone, "pipeline-phone")
    phone.goto(f"/recruiter/jobs/{job.pk}/edit/")
    # Once asked, the hint says what the text gave, never "write the title" under a written one.
    phone.wait_for_function(
        "() => ['Every skill the text mentions is listed.', 'None found in the title and description yet.']"
        ".includes(document.getElementById('jf-suggestions-empty').textContent)"
    )
    screenshot(phone, "job-form-phone")
    phone.goto("/recruiter/jobs/")
    phone.locator("#rjobs-list li").first.wait_for()
    screenshot(phone, "recruiter-jobs-phone")
    assert DESKTOP["width"] == 1280


def test_export_csv_downloads_every_application(live, pages, team):
    recruiter, _ = team
    job = factories.JobFactory(company=recruiter.company, title="Support Lead")
    made = [factories.ApplicationFactory(job=job) for _ in range(12)]
    factories.ApplicationFactory()  # another company's: never in this file
    page = pages.open(recruiter, live["a"], f"/recruiter/jobs/{job.pk}/")
    page.locator(".app-card").first.wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    assert download.value.suggested_filename == f"applications-job-{job.pk}.csv"
    text = Path(download.value.path()).read_text()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(int(row["application_id"]) for row in rows) == sorted(a.pk for a in made)
    assert {row["candidate_email"] for row in rows} == {a.candidate.email for a in made}
