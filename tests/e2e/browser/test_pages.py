"""Every page in a real browser: it loads with no console error, works with the keyboard and labels,
and is screenshotted at desktop and phone width under var/screenshots/."""

import re

import pytest
from django.contrib.auth.hashers import make_password

from chat import services as chat_services
from marketplace import services as matcher_services
from notifications.broadcaster import broadcaster
from tests import factories
from tests.e2e.browser.conftest import DESKTOP, PHONE, screenshot, wait_live

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    """A little of everything, so that no page is screenshotted empty."""
    recruiter = factories.RecruiterFactory(first_name="Wanjiku", last_name="Kamau", company__name="Savanna Pay")
    seeker = factories.SeekerFactory(
        first_name="Amina",
        last_name="Wanjiru",
        profile__skills=[
            {"name": "Python", "level": "advanced", "years": 4},
            {"name": "Django", "level": "advanced", "years": 3},
        ],
        profile__skill_names=["python", "django"],
    )
    jobs = [
        factories.JobFactory(
            company=recruiter.company,
            title="Backend Engineer",
            skills_required=["Python", "Django", "PostgreSQL"],
            skill_names=["python", "django", "postgresql"],
        ),
        factories.JobFactory(
            company=recruiter.company,
            title="Data Analyst",
            category="data",
            skills_required=["SQL", "Python"],
            skill_names=["sql", "python"],
            remote=True,
        ),
        factories.JobFactory(
            title="Product Designer",
            category="design",
            skills_required=["Figma"],
            skill_names=["figma"],
            location="Kigali, Rwanda",
        ),
    ]
    application = factories.ApplicationFactory(
        job=jobs[0], candidate=seeker, cover_letter="I have built Django services for four years."
    )
    others = [factories.ApplicationFactory(job=jobs[0]) for _ in range(2)]
    matcher_services.application_change_status(application=others[0], new_status="reviewing", actor=recruiter)
    conversation, _ = chat_services.conversation_start_direct(initiator=recruiter, other=seeker, related_job=jobs[0])
    chat_services.message_send(
        conversation=conversation, sender=recruiter, content="Hello Amina, are you free for a call on <b>Tuesday</b>?"
    )
    chat_services.message_send(
        conversation=conversation, sender=seeker, content="Yes, any time after 10:00 works for me."
    )
    broadcaster.publish(
        user_ids=[seeker.pk],
        event_type="notification",
        notification_type="info",
        title="Welcome to Kazi",
        message="Upload your resume to get better matches.",
    )
    return {
        "seeker": seeker,
        "recruiter": recruiter,
        "jobs": jobs,
        "conversation": conversation,
        "application": application,
    }


def seeker_pages(world):
    job = world["jobs"][0]
    return [
        ("jobs", "/jobs/", "#job-list li"),
        ("job", f"/jobs/{job.pk}/", "#explanation .factors"),
        ("recommendations", "/recommendations/", "#rec-list li"),
        ("resume", "/resume/", "#resume-list li"),
        ("chat", "/chat/", "#conv-list li"),
        ("conversation", f"/chat/{world['conversation'].pk}/", "#messages li"),
        ("account", "/account/", "#delete-form"),
    ]


def recruiter_pages(world):
    job = world["jobs"][0]
    return [
        ("recruiter-jobs", "/recruiter/jobs/", "#rjobs-list li"),
        ("pipeline", f"/recruiter/jobs/{job.pk}/", "#pipeline .app-card"),
        ("recruiter-conversation", f"/chat/{world['conversation'].pk}/", "#messages li"),
        ("account-team", "/account/", "#team-members li"),
    ]


def test_every_page_loads_cleanly_and_is_screenshotted_at_desktop_and_phone_width(live, pages, world):
    server = live["a"]
    for role, listing in (("seeker", seeker_pages(world)), ("recruiter", recruiter_pages(world))):
        for viewport_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page = pages.context(world[role], server, viewport).new_page()
            pages.watch(page)
            for name, path, ready in listing:
                page.goto(path)
                page.locator(ready).first.wait_for()
                wait_live(page)
                unlabelled = page.evaluate(UNLABELLED_CONTROLS)
                assert unlabelled == [], f"{path}: form controls without a label"
                screenshot(page, f"{name}-{viewport_name}")
            # The notification center open, over the last page.
            page.locator("#notif-toggle").click()
            page.locator("#notif-list li").first.wait_for()
            screenshot(page, f"{role}-notifications-{viewport_name}")


def test_login_page_logs_in_by_email_with_the_keyboard(live, pages, world):
    server = live["a"]
    # Test users get a fast MD5 hash that only this process accepts: the server checks a real one.
    world["seeker"].password = make_password(factories.PASSWORD, hasher="pbkdf2_sha256")
    world["seeker"].save(update_fields=["password"])
    for viewport_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = pages.context(None, server, viewport).new_page()
        pages.watch(page)
        page.goto("/jobs/")
        assert "/login/" in page.url
        screenshot(page, f"login-{viewport_name}")
    page.get_by_label("Email").fill(world["seeker"].email)
    page.keyboard.press("Tab")
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"^[^?]*/jobs/$"))
    wait_live(page)
    page.locator("#job-list li").first.wait_for()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"^[^?]*/login/$"))


def test_job_search_filters_the_list(live, pages, world):
    page = pages.open(world["seeker"], live["a"], "/jobs/")
    page.locator("#job-list li").first.wait_for()
    assert {"Backend Engineer", "Data Analyst", "Product Designer"} <= set(
        page.locator("#job-list li h2").all_inner_texts()
    )
    page.get_by_label("Search").fill("designer")
    page.get_by_label("Search").press("Enter")
    page.locator("#job-count", has_text="1 job").wait_for()
    assert page.locator("#job-list li h2").all_inner_texts() == ["Product Designer"]
    assert "search=designer" in page.url
    page.get_by_label("Remote only").check()
    page.get_by_role("button", name="Search", exact=True).click()
    page.locator("#job-count", has_text="0 jobs").wait_for()


def test_apply_and_bookmark_from_the_job_page(live, pages, world):
    job = world["jobs"][1]
    page = pages.open(world["seeker"], live["a"], f"/jobs/{job.pk}/")
    page.locator("#explanation .factors").wait_for()
    assert page.locator("#explanation .factor").count() == 6
    assert page.locator("#explanation .chips-matched").inner_text() == "Python"
    assert "SQL" in page.locator("#explanation .chips-missing").inner_text()
    page.get_by_role("button", name="Bookmark").click()
    page.locator('#bookmark[aria-pressed="true"]').wait_for()
    assert job.bookmarks.filter(user=world["seeker"]).exists()
    page.get_by_label("Cover letter (optional)").fill("SQL is next on my list.")
    page.get_by_role("button", name="Apply for this job").click()
    page.locator("#application-status", has_text="Pending").wait_for()
    assert job.applications.get().candidate == world["seeker"]


UNLABELLED_CONTROLS = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map((el) => el.id || el.name)"""
