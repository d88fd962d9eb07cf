"""The weekly recruiter report, as a recruiter receives it from a real SMTP server: last week's figures of their
company, once per week, and never to someone who turned it off."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from analytics import weekly_report
from analytics.models import JobHourlyStats
from marketplace.choices import ApplicationStatus, JobStatus
from marketplace.models import ApplicationStatusChange
from notifications.models import NotificationPreference
from tests import factories
from tests.conftest import client_for
from tests.mail import parts_of

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 23, tzinfo=UTC)  # the report's week: 23 Nov – 29 Nov 2026


@pytest.fixture(autouse=True)
def _mail_sent_inline(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


def applied(job, at, **fields):
    application = factories.ApplicationFactory(job=job, **fields)
    type(application).objects.filter(pk=application.pk).update(created_at=at)
    application.refresh_from_db()
    return application


def moved(application, to, at):
    ApplicationStatusChange.objects.create(
        application=application, old_status=application.status, new_status=to, changed_at=at
    )
    type(application).objects.filter(pk=application.pk).update(status=to)


@pytest.fixture
def company_week():
    company = factories.CompanyFactory(name="Acme Logistics")
    reader = factories.RecruiterFactory(company=company, email="reader@acme.test", first_name="Wanjiru")
    opted_out = factories.RecruiterFactory(company=company, email="busy@acme.test")
    NotificationPreference.objects.create(user=opted_out, email_types={"weekly_report": False})
    job = factories.JobFactory(company=company, title="Warehouse Supervisor", status=JobStatus.OPEN)
    other = factories.JobFactory(company=company, title="Route Planner", status=JobStatus.OPEN)
    first = applied(job, MONDAY + timedelta(days=1, hours=9))
    applied(job, MONDAY + timedelta(days=2))
    applied(other, MONDAY + timedelta(days=4))
    applied(job, MONDAY - timedelta(days=3))  # the week before
    waiting = applied(
        other,
        MONDAY - timedelta(days=1),
        candidate=factories.SeekerFactory(first_name="Amani", last_name="Otieno"),
    )
    moved(first, ApplicationStatus.SHORTLISTED, MONDAY + timedelta(days=1, hours=15))
    for hour in range(5):
        JobHourlyStats.objects.create(job=job, hour=MONDAY + timedelta(days=1, hours=hour), views=8, unique_viewers=6)
    # Another company's week stays out of Acme's mail.
    factories.ApplicationFactory(job=factories.JobFactory(title="Someone Else's Job"))
    return company, reader, waiting


def send(week: str = "2026-11-23") -> str:
    out = StringIO()
    call_command("send_weekly_reports", "--week", week, "--no-progress", stdout=out)
    return out.getvalue()


def test_a_recruiter_gets_last_weeks_figures_of_their_company(
    company_week, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send()

    mails = [m for m in smtp_server.messages if m["To"] == "reader@acme.test"]
    assert len(mails) == 1
    [message] = mails
    assert message["Subject"] == "Acme Logistics: 3 applications in the week of 23 Nov 2026"
    parts = parts_of(message)
    body = parts["text/plain"].replace("\r\n", "\n")
    assert "Hello Wanjiru" in body
    assert "Applications received: 3 applications (+50% on the week before)" in body
    assert "- Shortlisted: 1 application" in body
    assert "Average time to a first answer: 6 hours" in body
    assert "- Warehouse Supervisor (Open): 2 applications, 40 views" in body
    assert "- Route Planner (Open): 1 application, 0 views" in body
    assert "Amani Otieno, Route Planner (applied 22 Nov 2026)" in body
    assert "Someone Else's Job" not in body
    html = parts["text/html"]
    assert "Warehouse Supervisor" in html and "/recruiter/jobs/" in html and "Amani Otieno" in html
    assert message["List-Unsubscribe"] and message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_recruiter_who_turned_the_report_off_gets_none_and_a_rerun_mails_nobody_twice(
    company_week, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = send()
    with django_capture_on_commit_callbacks(execute=True):
        second = send()

    recipients = [m["To"] for m in smtp_server.messages]
    assert "busy@acme.test" not in recipients
    assert recipients.count("reader@acme.test") == 1
    assert "1 report(s) queued for 1 company(ies)" in first
    assert "0 report(s) queued" in second


def test_the_report_week_is_the_last_full_monday_to_monday_week():
    wednesday = datetime(2026, 12, 2, 15, 30, tzinfo=UTC)
    monday_morning = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)

    assert weekly_report.last_full_week(wednesday) == weekly_report.Week(
        start=datetime(2026, 11, 23, tzinfo=UTC), end=datetime(2026, 11, 30, tzinfo=UTC)
    )
    assert weekly_report.last_full_week(monday_morning).start == datetime(2026, 11, 23, tzinfo=UTC)


def test_the_command_refuses_a_week_that_does_not_start_on_monday():
    with pytest.raises(CommandError, match="is a Tuesday"):
        send("2026-11-24")
    with pytest.raises(CommandError, match="Not an ISO date"):
        send("last week")


def test_the_report_kind_is_mail_only_on_the_settings_api():
    recruiter = factories.RecruiterFactory()

    response = client_for(recruiter).get("/api/notifications/preferences/")

    kind = response.json()["types"]["weekly_report"]
    assert kind["mail_only"] is True and kind["email"] is True
