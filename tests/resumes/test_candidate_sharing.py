"""Recruiters point each other at candidates; a company's recruiters hear of its new candidates."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notifications.models import Notification
from resumes.candidates import candidate_share
from resumes.models import CandidateRecord, CandidateShare
from tests import factories
from tests.conftest import client_for


@pytest.fixture
def record(recruiter):
    return CandidateRecord.objects.create(company=recruiter.company, name="Imported Person", email="imp@example.com")


def test_sharing_a_seeker_notifies_the_other_recruiter(recruiter, seeker):
    colleague = factories.RecruiterFactory()
    response = client_for(recruiter).post(
        f"/api/candidates/{seeker.pk}/share/", {"recipient_id": colleague.pk, "note": "Strong Django"}, format="json"
    )
    assert response.status_code == 201, response.content
    [note] = Notification.objects.filter(recipient=colleague)
    assert note.notification_type == "candidate_shared"
    assert note.data["candidate_id"] == str(seeker.pk)
    assert note.data["note"] == "Strong Django"
    assert "Strong Django" in note.message and recruiter.full_name in note.message


def test_sharing_a_company_record_lets_the_recipient_see_it(recruiter, record):
    colleague = factories.RecruiterFactory()
    other = client_for(colleague)
    assert other.get(f"/api/candidate-records/{record.pk}/").status_code == 404

    response = client_for(recruiter).post(
        f"/api/candidate-records/{record.pk}/share/", {"recipient_id": colleague.pk}, format="json"
    )

    assert response.status_code == 201
    assert other.get(f"/api/candidate-records/{record.pk}/").json()["email"] == "imp@example.com"
    note = Notification.objects.get(recipient=colleague)
    assert note.data["candidate_record_id"] == record.pk and note.data["candidate_name"] == "Imported Person"


def test_an_admin_may_share(admin_user, seeker):
    colleague = factories.RecruiterFactory()
    response = client_for(admin_user).post(
        f"/api/candidates/{seeker.pk}/share/", {"recipient_id": colleague.pk}, format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize("target", ["self", "seeker", "missing", "inactive"])
def test_shares_go_to_another_active_recruiter_only(recruiter, seeker, target):
    recipient_id = {
        "self": lambda: recruiter.pk,
        "seeker": lambda: factories.SeekerFactory().pk,
        "missing": lambda: 999_999,
        "inactive": lambda: factories.RecruiterFactory(is_active=False).pk,
    }[target]()
    response = client_for(recruiter).post(
        f"/api/candidates/{seeker.pk}/share/", {"recipient_id": recipient_id}, format="json"
    )
    assert response.status_code == 400
    assert "recipient_id" in response.json()
    assert not CandidateShare.objects.exists()


def test_seekers_cannot_share_and_outsiders_cannot_reach_a_record(seeker_client, seeker, record):
    colleague = factories.RecruiterFactory()
    assert (
        seeker_client.post(
            f"/api/candidates/{seeker.pk}/share/", {"recipient_id": colleague.pk}, format="json"
        ).status_code
        == 403
    )
    outsider = client_for(factories.RecruiterFactory())
    response = outsider.post(
        f"/api/candidate-records/{record.pk}/share/", {"recipient_id": colleague.pk}, format="json"
    )
    assert response.status_code == 404


def test_a_bad_body_is_400(recruiter, seeker):
    response = client_for(recruiter).post(f"/api/candidates/{seeker.pk}/share/", {"note": "x"}, format="json")
    assert response.status_code == 400 and "recipient_id" in response.json()


def test_the_service_refuses_two_candidates_at_once(recruiter, seeker, record):
    with pytest.raises(ValueError):
        candidate_share(actor=recruiter, recipient=factories.RecruiterFactory(), seeker=seeker, record=record)


def test_candidate_records_list_shows_only_the_company_and_what_was_shared(recruiter, record):
    CandidateRecord.objects.create(company=factories.CompanyFactory(), name="Elsewhere", email="else@example.com")
    body = client_for(recruiter).get("/api/candidate-records/").json()
    assert [r["name"] for r in body["results"]] == ["Imported Person"]
    assert client_for(factories.SeekerFactory()).get("/api/candidate-records/").status_code == 403


def test_new_imported_candidates_reach_that_company_recruiters_only(recruiter, django_capture_on_commit_callbacks):
    from resumes.tasks import parse_resume
    from tests.resumes.files import pdf_bytes, resume_lines

    colleague = factories.RecruiterFactory(company=recruiter.company)
    outsider = factories.RecruiterFactory()
    body = (
        client_for(recruiter)
        .post(
            "/api/documents/bulk/",
            {"files": [SimpleUploadedFile("cv.pdf", pdf_bytes(resume_lines()))]},
            format="multipart",
        )
        .json()
    )
    [result] = body["results"]
    parse_resume(result["document_id"])

    for user in (recruiter, colleague):
        [note] = Notification.objects.filter(recipient=user, notification_type="candidate_added")
        assert note.data["name"] == "Amina Wanjiru" and note.data["email"] == "amina.wanjiru@example.com"
    assert not Notification.objects.filter(recipient=outsider).exists()
