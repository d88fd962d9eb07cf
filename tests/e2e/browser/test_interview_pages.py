"""Interview pages in a real browser: a recruiter schedules from the pipeline and sees a conflict before saving,
the seeker finds the interview on their interviews page and downloads its calendar file, an interviewer files
an assessment and the recruiter reads the panel's assessments side by side. Checked at 1280 and 390 px."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from icalendar import Calendar

from interviews import services as interview_services
from interviews.models import Assessment, Interview
from marketplace.choices import ApplicationStatus
from tests import factories
from tests.e2e.browser.conftest import DESKTOP, PHONE, screenshot, wait_live

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The browser's own zone, for typing a UTC moment into a datetime-local field.
LOCAL_INPUT = """iso => {
  const d = new Date(iso), pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}"""


@pytest.fixture
def hiring():
    recruiter = factories.RecruiterFactory(first_name="Wanjiku", last_name="Kamau", company__name="Savanna Pay")
    colleague = factories.RecruiterFactory(first_name="Otieno", last_name="Odhiambo", company=recruiter.company)
    job = factories.JobFactory(
        company=recruiter.company, posted_by=recruiter, title="Payments Engineer", skills_required=["Python"]
    )
    seeker = factories.SeekerFactory(first_name="Amina", last_name="Wanjiru")
    application = factories.ApplicationFactory(job=job, candidate=seeker, status=ApplicationStatus.SHORTLISTED)
    return recruiter, colleague, job, seeker, application


def whole_hour(days: int, hour: int):
    return (timezone.now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def test_schedule_from_the_pipeline_with_a_conflict_warning_then_the_seeker_gets_the_ics(live, pages, hiring):
    recruiter, colleague, job, seeker, application = hiring
    # Otieno is already on another interview tomorrow 10:00-11:00.
    other = factories.ApplicationFactory(job=job, status=ApplicationStatus.SHORTLISTED)
    busy_start = whole_hour(1, 10)
    interview_services.interview_schedule(
        actor=recruiter, application=other, scheduled_at=busy_start, duration=60, interviewers=[colleague]
    )

    page = pages.open(recruiter, live["a"], f"/recruiter/jobs/{job.pk}/")
    wait_live(page)
    page.get_by_role("button", name="Schedule an interview with Amina Wanjiru").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Otieno Odhiambo").check()
    dialog.get_by_label("Date and time").fill(
        page.evaluate(LOCAL_INPUT, (busy_start + timedelta(minutes=30)).isoformat())
    )
    dialog.get_by_label("Duration (minutes)").fill("45")
    warning = dialog.locator(".conflict-warning")
    warning.wait_for()
    assert "Already booked at that time: Otieno Odhiambo" in warning.inner_text()
    screenshot(page, "interview-schedule-conflict-1280")
    page.set_viewport_size(PHONE)
    screenshot(page, "interview-schedule-conflict-390")
    page.set_viewport_size(DESKTOP)

    free_start = busy_start + timedelta(hours=3)
    dialog.get_by_label("Date and time").fill(page.evaluate(LOCAL_INPUT, free_start.isoformat()))
    warning.wait_for(state="hidden")
    dialog.get_by_role("button", name="Schedule").click()
    page.get_by_text("Interview with Amina Wanjiru scheduled").wait_for()
    interview = Interview.objects.get(application=application)
    assert interview.scheduled_at == free_start and interview.duration == 45
    assert {row.user_id for row in interview.participant_rows.filter(role="interviewer")} == {
        recruiter.pk,
        colleague.pk,
    }
    moved = page.locator(f'.column[data-status="interview"] [data-application-id="{application.pk}"]')
    moved.locator(".card-interviews a").wait_for()  # the card names its interview, linked to its page
    assert moved.locator(".card-interviews a").get_attribute("href") == f"/interviews/{interview.pk}/"

    # The seeker finds it on the interviews page (linked from the nav) and downloads the calendar file.
    amina = pages.open(seeker, live["b"], "/jobs/")
    wait_live(amina)
    amina.get_by_role("link", name="Interviews").click()
    amina.wait_for_url("**/interviews/")
    card = amina.locator(f'#upcoming [data-interview-id="{interview.pk}"]')
    card.wait_for()
    assert "Payments Engineer" in card.inner_text() and "Otieno Odhiambo" in card.inner_text()
    assert card.get_by_role("button", name="Join opens at").is_disabled()  # tomorrow: the window is not open
    with amina.expect_download() as download:
        card.get_by_role("link", name="Add to calendar (.ics)").click()
    calendar = Calendar.from_ical(Path(download.value.path()).read_bytes())
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == free_start
    assert event.decoded("dtend") == free_start + timedelta(minutes=45)
    assert "Payments Engineer" in str(event.get("summary"))
    screenshot(amina, "interviews-seeker-1280")
    amina.set_viewport_size(PHONE)
    screenshot(amina, "interviews-seeker-390")


def test_an_interviewer_files_an_assessment_and_the_recruiter_sees_them_side_by_side(live, pages, hiring):
    recruiter, colleague, job, seeker, application = hiring
    start = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=5)  # the window is open
    interview = interview_services.interview_schedule(
        actor=recruiter, application=application, scheduled_at=start, duration=60, interviewers=[recruiter, colleague]
    )
    interview_services.assessment_submit(
        interview=interview,
        interviewer=colleague,
        rating=3,
        feedback="Solid on SQL, shaky on queues.",
        technical_skills=[{"skill": "Python", "rating": 3}],
        soft_skills=[{"skill": "Communication", "rating": 4}],
        overall_recommendation="hire",
        notes="",
    )

    page = pages.open(recruiter, live["a"], "/interviews/")
    wait_live(page)
    card = page.locator(f'#upcoming [data-interview-id="{interview.pk}"]')
    assert card.get_by_role("link", name="Join").get_attribute("href") == f"/interview/{interview.pk}/"
    card.get_by_role("link", name="Details and assessment").click()
    page.wait_for_url(f"**/interviews/{interview.pk}/")
    page.locator("#interview-actions").get_by_role("link", name="Join").wait_for()
    assert page.locator("#interview-actions").inner_text().split() == ["Join", "Add", "to", "calendar", "(.ics)"]
    form = page.locator("#assessment-form")
    assert page.get_by_label("Technical skill 1", exact=True).input_value() == "Python"  # the job's skills
    form.get_by_label("5").check()
    page.get_by_label("Recommendation").select_option("strong_hire")
    page.get_by_label("Technical skill 1 rating").select_option("5")
    page.get_by_label("Feedback").fill("Designed the ledger service cleanly.")
    page.get_by_role("button", name="Submit assessment").click()
    page.get_by_text("Assessment saved.").wait_for()
    mine = Assessment.objects.get(interview=interview, interviewer=recruiter)
    assert (mine.rating, mine.overall_recommendation) == (5, "strong_hire")
    assert mine.technical_skills == [{"skill": "Python", "rating": 5}]

    table = page.locator("table.compare")
    table.locator("thead th", has_text="Wanjiku Kamau").wait_for()
    headers = table.locator("thead th").all_inner_texts()
    assert headers[1:] == ["Otieno Odhiambo", "Wanjiku Kamau", "Average"]
    python_row = table.locator("tbody tr", has_text="Technical: Python").locator("td").all_inner_texts()
    assert python_row == ["3", "5", "4.0"] or python_row == ["3", "5", "4"]
    rating_row = table.locator("tbody tr", has_text="Overall rating").locator("td").all_inner_texts()
    assert rating_row[:2] == ["3 / 5", "5 / 5"]
    screenshot(page, "interview-assessments-1280")
    page.set_viewport_size(PHONE)
    screenshot(page, "interview-assessments-390")

    # The candidate's page has no assessments at all.
    amina = pages.open(seeker, live["b"], f"/interviews/{interview.pk}/")
    amina.locator("#interview-facts dd", has_text="Wanjiku Kamau").wait_for()
    assert amina.locator("table.compare").count() == 0 and amina.locator("#assessment-form").count() == 0
