"""Applying, the application status workflow, and who sees which application."""

import pytest

from marketplace import signals
from marketplace.models import Application, ApplicationStatusChange, Document
from tests import factories
from tests.conftest import client_for
from tests.marketplace.helpers import ids, pdf_bytes, upload

pytestmark = pytest.mark.django_db

FORWARD = ["pending", "reviewing", "shortlisted", "interview", "offered", "accepted"]
OPEN_STATES = FORWARD[:-1]
CLOSED_STATES = ["accepted", "rejected", "withdrawn"]


@pytest.fixture
def job(recruiter):
    return factories.JobFactory(company=recruiter.company, title="Platform Engineer")


@pytest.fixture
def application(job, seeker):
    return factories.ApplicationFactory(job=job, candidate=seeker)


def patch_status(client, application, status):
    return client.patch(f"/api/applications/{application.pk}/", {"status": status}, format="json")


# --- apply ----------------------------------------------------------------------------------
def test_seeker_applies_to_an_open_job(seeker_client, seeker, job):
    response = seeker_client.post(f"/api/jobs/{job.pk}/apply/", {"cover_letter": "Hire me."}, format="json")

    assert response.status_code == 201, response.content
    assert response.data["job"] == job.pk
    assert response.data["job_title"] == "Platform Engineer"
    assert response.data["candidate"] == seeker.pk
    assert response.data["cover_letter"] == "Hire me."
    assert response.data["status"] == "pending"
    assert response.data["resume"] is None
    assert response.data["company"]["id"] == job.company_id


def test_apply_without_a_body(seeker_client, job):
    assert seeker_client.post(f"/api/jobs/{job.pk}/apply/").status_code == 201


def test_apply_sends_application_created(seeker_client, job):
    received = []

    def listener(sender, application, **kwargs):
        received.append(application.job_id)

    signals.application_created.connect(listener)
    try:
        seeker_client.post(f"/api/jobs/{job.pk}/apply/", {}, format="json")
    finally:
        signals.application_created.disconnect(listener)
    assert received == [job.pk]


def test_one_application_per_job(seeker_client, seeker, job):
    assert seeker_client.post(f"/api/jobs/{job.pk}/apply/", {}, format="json").status_code == 201

    second = seeker_client.post(f"/api/jobs/{job.pk}/apply/", {"cover_letter": "Again"}, format="json")

    assert second.status_code == 400
    assert isinstance(second.data["detail"], str)
    assert "already applied" in second.data["detail"]
    assert Application.objects.filter(job=job, candidate=seeker).count() == 1


def test_two_seekers_may_apply_to_the_same_job(job):
    for _ in range(2):
        client = client_for(factories.SeekerFactory())
        assert client.post(f"/api/jobs/{job.pk}/apply/", {}, format="json").status_code == 201
    assert job.applications.count() == 2


def test_apply_to_a_closed_job_is_400(seeker_client, recruiter):
    closed = factories.JobFactory(company=recruiter.company, status="closed")

    response = seeker_client.post(f"/api/jobs/{closed.pk}/apply/", {}, format="json")

    assert response.status_code == 400
    assert "not open" in response.data["detail"]
    assert not Application.objects.exists()


def test_apply_to_another_companys_draft_is_404(seeker_client):
    draft = factories.JobFactory(status="draft")
    assert seeker_client.post(f"/api/jobs/{draft.pk}/apply/", {}, format="json").status_code == 404


def test_apply_to_a_missing_job_is_404(seeker_client):
    assert seeker_client.post("/api/jobs/424242/apply/", {}, format="json").status_code == 404


def test_recruiter_cannot_apply(recruiter_client, job):
    response = recruiter_client.post(f"/api/jobs/{job.pk}/apply/", {}, format="json")
    assert response.status_code == 403
    assert "detail" in response.data


def test_anonymous_cannot_apply(api_client, job):
    assert api_client.post(f"/api/jobs/{job.pk}/apply/", {}, format="json").status_code == 401


def test_apply_with_own_resume(seeker_client, job):
    resume = upload(seeker_client, pdf_bytes(), "cv.pdf").data

    response = seeker_client.post(f"/api/jobs/{job.pk}/apply/", {"resume": resume["id"]}, format="json")

    assert response.status_code == 201, response.content
    assert str(response.data["resume"]["id"]) == str(resume["id"])
    assert response.data["resume"]["original_name"] == "cv.pdf"


def test_apply_with_someone_elses_resume_is_400(seeker_client, job):
    other_client = client_for(factories.SeekerFactory())
    theirs = upload(other_client, pdf_bytes(), "theirs.pdf").data

    response = seeker_client.post(f"/api/jobs/{job.pk}/apply/", {"resume": theirs["id"]}, format="json")

    assert response.status_code == 400
    assert "resume" in response.data
    assert not Application.objects.exists()


def test_apply_with_a_cover_letter_document_as_resume_is_400(seeker_client, job):
    letter = upload(seeker_client, pdf_bytes(), "letter.pdf", document_type="cover_letter").data
    response = seeker_client.post(f"/api/jobs/{job.pk}/apply/", {"resume": letter["id"]}, format="json")
    assert response.status_code == 400
    assert "resume" in response.data


def test_apply_with_an_unknown_resume_id_is_400(seeker_client, job):
    response = seeker_client.post(
        f"/api/jobs/{job.pk}/apply/", {"resume": "00000000-0000-0000-0000-000000000000"}, format="json"
    )
    assert response.status_code == 400
    assert "resume" in response.data


def test_a_refused_application_can_be_retried(seeker_client, job):
    other = upload(client_for(factories.SeekerFactory()), pdf_bytes(), "x.pdf").data
    assert seeker_client.post(f"/api/jobs/{job.pk}/apply/", {"resume": other["id"]}, format="json").status_code == 400
    assert seeker_client.post(f"/api/jobs/{job.pk}/apply/", {}, format="json").status_code == 201


# --- lists and visibility --------------------------------------------------------------------
def test_seeker_lists_only_own_applications(seeker_client, application):
    factories.ApplicationFactory(job=application.job)  # someone else's, same job
    factories.ApplicationFactory()  # someone else's, elsewhere
    assert ids(seeker_client.get("/api/applications/")) == {application.pk}


def test_recruiter_lists_applications_to_own_company_jobs(recruiter_client, application):
    factories.ApplicationFactory()  # another company's job
    assert ids(recruiter_client.get("/api/applications/")) == {application.pk}


def test_recruiter_without_a_company_sees_no_applications(application):
    client = client_for(factories.RecruiterFactory(company=None))
    assert ids(client.get("/api/applications/")) == set()


def test_admin_lists_every_application(admin_client_jwt, application):
    other = factories.ApplicationFactory()
    assert ids(admin_client_jwt.get("/api/applications/")) == {application.pk, other.pk}


def test_application_list_filters_by_status_and_job(recruiter_client, recruiter, application):
    other_job = factories.JobFactory(company=recruiter.company)
    shortlisted = factories.ApplicationFactory(job=other_job, status="shortlisted")

    assert ids(recruiter_client.get("/api/applications/", {"status": "shortlisted"})) == {shortlisted.pk}
    assert ids(recruiter_client.get("/api/applications/", {"job": application.job_id})) == {application.pk}
    assert recruiter_client.get("/api/applications/", {"status": "hired"}).status_code == 400


def test_seeker_reads_own_application(seeker_client, application):
    response = seeker_client.get(f"/api/applications/{application.pk}/")
    assert response.status_code == 200
    assert response.data["status"] == "pending"


def test_another_seekers_application_is_404(application):
    stranger = client_for(factories.SeekerFactory())
    assert stranger.get(f"/api/applications/{application.pk}/").status_code == 404
    assert patch_status(stranger, application, "withdrawn").status_code == 404
    application.refresh_from_db()
    assert application.status == "pending"


def test_recruiter_of_another_company_gets_404(application):
    other_recruiter = client_for(factories.RecruiterFactory())

    assert other_recruiter.get(f"/api/applications/{application.pk}/").status_code == 404
    assert patch_status(other_recruiter, application, "reviewing").status_code == 404
    application.refresh_from_db()
    assert application.status == "pending"


def test_anonymous_cannot_list_applications(api_client):
    assert api_client.get("/api/applications/").status_code == 401


# --- workflow: the employer's moves -------------------------------------------------------------
@pytest.mark.parametrize(("current", "new"), list(zip(FORWARD, FORWARD[1:], strict=False)))
def test_recruiter_moves_an_application_one_step_forward(recruiter_client, recruiter, job, current, new):
    application = factories.ApplicationFactory(job=job, status=current)

    response = patch_status(recruiter_client, application, new)

    assert response.status_code == 200, response.data
    assert response.data["status"] == new
    application.refresh_from_db()
    assert application.status == new
    change = ApplicationStatusChange.objects.get(application=application)
    assert (change.old_status, change.new_status, change.changed_by) == (current, new, recruiter)


@pytest.mark.parametrize("current", OPEN_STATES)
def test_recruiter_rejects_from_any_open_state(recruiter_client, job, current):
    application = factories.ApplicationFactory(job=job, status=current)
    response = patch_status(recruiter_client, application, "rejected")
    assert response.status_code == 200
    assert response.data["status"] == "rejected"


def test_admin_can_move_any_application(admin_client_jwt, application):
    assert patch_status(admin_client_jwt, application, "reviewing").data["status"] == "reviewing"


def test_the_whole_happy_path(recruiter_client, application):
    for status in FORWARD[1:]:
        assert patch_status(recruiter_client, application, status).status_code == 200
    assert list(application.status_changes.values_list("new_status", flat=True)) == FORWARD[1:]


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        ("pending", "shortlisted", ["reviewing", "rejected"]),  # skipping a step
        ("pending", "accepted", ["reviewing", "rejected"]),
        ("reviewing", "pending", ["shortlisted", "rejected"]),  # going back
        ("interview", "reviewing", ["offered", "rejected"]),
        ("offered", "offered", ["accepted", "rejected"]),  # standing still
        ("shortlisted", "withdrawn", ["interview", "rejected"]),  # only the candidate withdraws
    ],
)
def test_forbidden_employer_moves_are_400_naming_the_allowed_ones(recruiter_client, job, current, new, allowed):
    application = factories.ApplicationFactory(job=job, status=current)

    response = patch_status(recruiter_client, application, new)

    assert response.status_code == 400
    message = " ".join(response.data["status"])
    for status in allowed:
        assert status in message
    application.refresh_from_db()
    assert application.status == current
    assert not application.status_changes.exists()


@pytest.mark.parametrize("current", CLOSED_STATES)
@pytest.mark.parametrize("new", ["pending", "reviewing", "rejected", "withdrawn"])
def test_a_closed_application_can_no_longer_change(recruiter_client, job, current, new):
    application = factories.ApplicationFactory(job=job, status=current)

    response = patch_status(recruiter_client, application, new)

    assert response.status_code == 400
    assert "no longer" in " ".join(response.data["status"])
    application.refresh_from_db()
    assert application.status == current


def test_unknown_status_is_400(recruiter_client, application):
    response = patch_status(recruiter_client, application, "hired")
    assert response.status_code == 400
    assert "status" in response.data


def test_status_change_sends_a_signal(recruiter_client, recruiter, application):
    received = []

    def listener(sender, application, old_status, new_status, changed_by, **kwargs):
        received.append((old_status, new_status, changed_by.pk))

    signals.application_status_changed.connect(listener)
    try:
        patch_status(recruiter_client, application, "reviewing")
        patch_status(recruiter_client, application, "pending")  # refused: no signal
    finally:
        signals.application_status_changed.disconnect(listener)
    assert received == [("pending", "reviewing", recruiter.pk)]


# --- workflow: the candidate's moves -------------------------------------------------------------
@pytest.mark.parametrize("current", OPEN_STATES)
def test_seeker_withdraws_from_any_open_state(seeker_client, job, seeker, current):
    application = factories.ApplicationFactory(job=job, candidate=seeker, status=current)

    response = patch_status(seeker_client, application, "withdrawn")

    assert response.status_code == 200
    assert response.data["status"] == "withdrawn"


@pytest.mark.parametrize("new", ["reviewing", "shortlisted", "accepted", "rejected"])
def test_seeker_may_only_withdraw(seeker_client, application, new):
    response = patch_status(seeker_client, application, new)

    assert response.status_code == 400
    assert "withdrawn" in " ".join(response.data["status"])
    application.refresh_from_db()
    assert application.status == "pending"


def test_seeker_cannot_withdraw_twice(seeker_client, application):
    assert patch_status(seeker_client, application, "withdrawn").status_code == 200
    assert patch_status(seeker_client, application, "withdrawn").status_code == 400


def test_seeker_cannot_withdraw_an_accepted_offer(seeker_client, job, seeker):
    application = factories.ApplicationFactory(job=job, candidate=seeker, status="accepted")
    assert patch_status(seeker_client, application, "withdrawn").status_code == 400


def test_put_and_delete_are_not_offered(seeker_client, application):
    assert seeker_client.put(f"/api/applications/{application.pk}/", {"status": "withdrawn"}).status_code == 405
    assert seeker_client.delete(f"/api/applications/{application.pk}/").status_code == 405
    assert Application.objects.filter(pk=application.pk).exists()


# --- bookmarks --------------------------------------------------------------------------------------
def test_bookmark_then_again_then_remove(seeker_client, seeker, job):
    first = seeker_client.post(f"/api/jobs/{job.pk}/bookmark/")
    again = seeker_client.post(f"/api/jobs/{job.pk}/bookmark/")

    assert first.status_code == 201
    assert again.status_code == 200
    assert seeker.bookmarks.count() == 1

    removed = seeker_client.delete(f"/api/jobs/{job.pk}/bookmark/")
    assert removed.status_code == 204
    assert seeker.bookmarks.count() == 0


def test_removing_a_missing_bookmark_is_still_204(seeker_client, job):
    assert seeker_client.delete(f"/api/jobs/{job.pk}/bookmark/").status_code == 204


def test_recruiter_cannot_bookmark(recruiter_client, job):
    assert recruiter_client.post(f"/api/jobs/{job.pk}/bookmark/").status_code == 403
    assert recruiter_client.delete(f"/api/jobs/{job.pk}/bookmark/").status_code == 403


def test_bookmark_of_a_hidden_draft_is_404(seeker_client):
    draft = factories.JobFactory(status="draft")
    assert seeker_client.post(f"/api/jobs/{draft.pk}/bookmark/").status_code == 404


def test_anonymous_cannot_bookmark(api_client, job):
    assert api_client.post(f"/api/jobs/{job.pk}/bookmark/").status_code == 401


def test_resume_deleted_after_applying_leaves_the_application(seeker_client, job):
    resume = upload(seeker_client, pdf_bytes(), "cv.pdf").data
    application = seeker_client.post(f"/api/jobs/{job.pk}/apply/", {"resume": resume["id"]}, format="json").data

    assert seeker_client.delete(f"/api/documents/{resume['id']}/").status_code == 204

    assert not Document.objects.exists()
    assert seeker_client.get(f"/api/applications/{application['id']}/").data["resume"] is None
