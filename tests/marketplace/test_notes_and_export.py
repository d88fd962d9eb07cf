"""Notes on applicants (the company's recruiters only) and the streamed CSV export of a job's applications."""

import csv
import io

import pytest
from asgiref.sync import async_to_sync

from marketplace import exports, services
from marketplace.models import ApplicationNote
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(recruiter):
    job = factories.JobFactory(company=recruiter.company, title="Support Lead")
    return factories.ApplicationFactory(job=job, cover_letter='=HYPERLINK("http://evil")')


def notes_url(application):
    return f"/api/applications/{application.pk}/notes/"


def test_a_note_is_read_by_every_recruiter_of_the_company(recruiter_client, recruiter, application):
    response = recruiter_client.post(notes_url(application), {"body": "  Strong on escalations.  "}, format="json")
    assert response.status_code == 201
    assert response.json()["body"] == "Strong on escalations."
    colleague = factories.RecruiterFactory(company=recruiter.company)
    notes = client_for(colleague).get(notes_url(application)).json()
    assert [(n["body"], n["author_name"]) for n in notes] == [("Strong on escalations.", recruiter.full_name)]


def test_the_candidate_and_other_companies_never_read_notes(recruiter, application):
    ApplicationNote.objects.create(application=application, author=recruiter, body="Private")
    assert client_for(application.candidate).get(notes_url(application)).status_code == 403
    outsider = factories.RecruiterFactory()
    assert client_for(outsider).get(notes_url(application)).status_code == 404
    assert client_for(outsider).post(notes_url(application), {"body": "x"}, format="json").status_code == 404


def test_an_empty_note_is_a_clear_400(recruiter_client, application):
    response = recruiter_client.post(notes_url(application), {"body": "   "}, format="json")
    assert response.status_code == 400
    assert "body" in response.json()


def read_csv(response) -> list[dict]:
    async def collect():
        return [part async for part in response.streaming_content]

    body = b"".join(part if isinstance(part, bytes) else part.encode() for part in async_to_sync(collect)())
    return list(csv.DictReader(io.StringIO(body.decode())))


def test_export_streams_every_application_across_pages(recruiter_client, recruiter, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_PAGE", 3)  # several pages with a handful of rows
    job = factories.JobFactory(company=recruiter.company)
    made = [factories.ApplicationFactory(job=job) for _ in range(7)]
    factories.ApplicationFactory()  # another job's: not in this export
    # A browser asks for gzip: the whole file must still arrive (Django gzips async streams per chunk).
    response = recruiter_client.get(f"/api/applications/export/?job={job.pk}", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert f"applications-job-{job.pk}.csv" in response["Content-Disposition"]
    rows = read_csv(response)
    assert [int(r["application_id"]) for r in rows] == [a.pk for a in made]
    assert rows[0]["candidate_email"] == made[0].candidate.email
    assert rows[0]["status"] == "pending"


def test_export_keeps_an_applicants_formula_as_text(recruiter_client, application):
    rows = read_csv(recruiter_client.get(f"/api/applications/export/?job={application.job_id}"))
    assert rows[0]["cover_letter"].startswith("'=HYPERLINK")


def test_export_is_for_the_jobs_recruiters_only(application, seeker):
    url = f"/api/applications/export/?job={application.job_id}"
    assert client_for(factories.RecruiterFactory()).get(url).status_code == 403  # an open job: seen, not theirs
    assert client_for(seeker).get(url).status_code == 403
    assert client_for(factories.RecruiterFactory()).get("/api/applications/export/?job=999999").status_code == 404


@pytest.mark.parametrize("query", ["", "?job=", "?job=abc", "?job=-1"])
def test_export_without_a_job_id_is_a_clear_400(recruiter_client, query):
    response = recruiter_client.get(f"/api/applications/export/{query}")
    assert response.status_code == 400
    assert "job" in response.json()


def test_application_history_lists_its_status_changes(recruiter, application):
    services.application_change_status(application=application, new_status="reviewing", actor=recruiter)
    data = client_for(application.candidate).get(f"/api/applications/{application.pk}/").json()
    assert [(h["old_status"], h["new_status"]) for h in data["history"]] == [("pending", "reviewing")]


def test_the_company_candidates_export_has_each_applicant_once_with_their_applications(recruiter_client, recruiter):
    jobs = [factories.JobFactory(company=recruiter.company, title=title) for title in ("Backend", "Support")]
    twice = factories.SeekerFactory()
    factories.ApplicationFactory(job=jobs[0], candidate=twice)
    factories.ApplicationFactory(job=jobs[1], candidate=twice)
    once = factories.ApplicationFactory(job=jobs[1]).candidate
    factories.ApplicationFactory()  # applied elsewhere only: not this company's candidate
    rows = read_csv(recruiter_client.get("/api/candidates/export/", HTTP_ACCEPT_ENCODING="gzip"))
    assert [int(row["candidate_id"]) for row in rows] == sorted([twice.pk, once.pk])
    by_id = {int(row["candidate_id"]): row for row in rows}
    assert (by_id[twice.pk]["applications"], by_id[twice.pk]["jobs"]) == ("2", "Backend; Support")
    assert by_id[once.pk]["skills"] == "Python"


def test_only_recruiters_export_candidates_and_admins_name_the_company(seeker, recruiter):
    assert client_for(seeker).get("/api/candidates/export/").status_code == 403
    admin = client_for(factories.AdminFactory())
    assert admin.get("/api/candidates/export/").status_code == 400
    assert admin.get(f"/api/candidates/export/?company={recruiter.company_id}").status_code == 200


def test_the_dashboard_figures_export_as_csv(recruiter_client, recruiter, seeker):
    job = factories.JobFactory(company=recruiter.company, title="Backend")
    factories.ApplicationFactory(job=job)
    response = recruiter_client.get("/api/analytics/dashboard/export/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["title"], row["applications"]) for row in rows] == [("Backend", "1")]
    days = list(csv.DictReader(io.StringIO(client_for(seeker).get("/api/analytics/dashboard/export/").text)))
    assert len(days) == 30 and set(days[0]) == {"date", "applications"}


def test_skills_are_suggested_from_the_text_while_a_recruiter_types(recruiter_client, seeker):
    response = recruiter_client.post(
        "/api/jobs/suggest-skills/",
        {"title": "Backend Engineer", "description": "Python services on PostgreSQL.", "listed": ["python"]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {"skills": ["PostgreSQL"]}
    assert client_for(seeker).post("/api/jobs/suggest-skills/", {}, format="json").status_code == 403
    assert recruiter_client.post("/api/jobs/suggest-skills/", {"listed": "x"}, format="json").status_code == 400
