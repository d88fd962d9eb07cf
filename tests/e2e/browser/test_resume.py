"""A resume upload in the browser: the progress bar follows `resume_progress` frames to 100%."""

import io

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from marketplace.models import Document
from notifications.models import Notification
from tests import factories
from tests.e2e.browser.conftest import wait_live

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def resume_pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    lines = [
        "Amina Wanjiru",
        "amina.wanjiru@example.com  +254 700 000 000  Nairobi, Kenya",
        "Summary: Backend developer, 5 years with Python, Django and PostgreSQL.",
        "Experience",
        "Senior Backend Engineer, Savanna Pay, 2021 - present",
        "Backend Developer, Tech Corp, 2019 - 2021",
        "Education",
        "BSc Computer Science, University of Nairobi, 2019",
        "Skills: Python, Django, PostgreSQL, Redis, Docker, AWS",
    ]
    for number, line in enumerate(lines):
        pdf.drawString(72, 770 - 18 * number, line)
    pdf.save()
    return buffer.getvalue()


def test_resume_upload_shows_the_progress_bar_reach_100_percent(live, pages):
    seeker = factories.SeekerFactory()
    page = pages.open(seeker, live["a"], "/resume/")
    wait_live(page)
    seen = []
    page.expose_function("recordProgress", lambda value: seen.append(value))
    # Every value the bar takes, as the page sets it.
    page.evaluate(
        """() => {
          const percent = document.getElementById('resume-percent');
          new MutationObserver(() => window.recordProgress(percent.textContent))
            .observe(percent, {childList: true, characterData: true, subtree: true});
        }"""
    )

    page.get_by_label("Resume file").set_input_files(
        files=[{"name": "amina-cv.pdf", "mimeType": "application/pdf", "buffer": resume_pdf()}]
    )
    page.get_by_role("button", name="Upload").click()
    page.locator("#resume-progress").wait_for()
    page.locator("#resume-percent", has_text="100%").wait_for(timeout=30_000)
    page.locator('#resume-progress[data-status="completed"]').wait_for()

    assert page.locator("#resume-bar").evaluate("bar => bar.value") == 100
    percents = [int(value.rstrip("%")) for value in seen if value.endswith("%")]
    assert percents == sorted(percents), f"the bar went backwards: {percents}"
    assert len(set(percents)) > 2, f"no live steps between start and end: {percents}"
    document = Document.objects.get(owner=seeker)
    assert document.status == "completed" and document.progress == 100
    # The stored notification arrives too: in the list, and as a toast.
    assert Notification.objects.filter(recipient=seeker, notification_type="resume_completed").exists()
    page.locator('#notif-list li[data-type="notification"]').first.wait_for(state="attached", timeout=5_000)
    page.locator(f'#resume-list li[data-document-id="{document.pk}"]', has_text="Completed").wait_for()
