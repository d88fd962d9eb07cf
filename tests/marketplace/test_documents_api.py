"""Document upload (judged by content), size limit, download and who may see what."""

import hashlib

import pytest

from marketplace.models import Document
from tests import factories
from tests.conftest import client_for
from tests.marketplace.helpers import docx_bytes, ids, ole_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC = "application/msword"


def download(client, document_id):
    return client.get(f"/api/documents/{document_id}/download/")


# --- upload ---------------------------------------------------------------------------------
def test_upload_a_pdf_resume(seeker_client, seeker):
    content = pdf_bytes()

    response = upload(seeker_client, content, "My CV.pdf", content_type=PDF)

    assert response.status_code == 201, response.content
    data = response.data
    assert data["owner"] == seeker.pk
    assert data["document_type"] == "resume"
    assert data["original_name"] == "My CV.pdf"
    assert data["content_type"] == PDF
    assert data["size"] == len(content)
    assert data["sha256"] == hashlib.sha256(content).hexdigest()
    assert data["status"] == "uploaded"
    assert data["progress"] == 0
    assert data["download_url"].endswith(f"/api/documents/{data['id']}/download/")
    document = Document.objects.get(pk=data["id"])
    assert document.file.name.endswith(".pdf")
    with document.file.open("rb") as stored:
        assert stored.read() == content


def test_a_pdf_named_docx_is_accepted_as_a_pdf(seeker_client):
    response = upload(seeker_client, pdf_bytes(), "resume.docx", content_type=DOCX)

    assert response.status_code == 201, response.content
    assert response.data["content_type"] == PDF
    assert response.data["original_name"] == "resume.docx"
    assert Document.objects.get(pk=response.data["id"]).file.name.endswith(".pdf")


def test_a_hand_written_minimal_pdf_is_accepted(seeker_client):
    content = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"
    response = upload(seeker_client, content, "tiny.pdf")
    assert response.status_code == 201
    assert response.data["content_type"] == PDF


def test_a_real_docx_is_accepted(seeker_client):
    response = upload(seeker_client, docx_bytes(), "cv.docx", document_type="cover_letter")

    assert response.status_code == 201, response.content
    assert response.data["content_type"] == DOCX
    assert response.data["document_type"] == "cover_letter"


def test_a_docx_named_pdf_is_accepted_as_a_docx(seeker_client):
    response = upload(seeker_client, docx_bytes(), "cv.pdf", content_type=PDF)
    assert response.status_code == 201
    assert response.data["content_type"] == DOCX


def test_a_word_97_doc_is_accepted(seeker_client):
    response = upload(seeker_client, ole_bytes("WordDocument"), "old.doc", document_type="portfolio")
    assert response.status_code == 201, response.content
    assert response.data["content_type"] == DOC


@pytest.mark.parametrize(
    ("content", "name", "claimed"),
    [
        (b"Jane Doe\nPython developer\n" * 20, "resume.pdf", PDF),
        (b"<html><script>alert(1)</script></html>", "resume.docx", DOCX),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "photo.pdf", "image/png"),
        (ole_bytes("Workbook"), "sheet.doc", DOC),
    ],
    ids=["text-as-pdf", "html-as-docx", "png-as-pdf", "xls-as-doc"],
)
def test_other_content_is_refused_with_415(seeker_client, content, name, claimed):
    response = upload(seeker_client, content, name, content_type=claimed)

    assert response.status_code == 415
    assert "PDF" in response.data["detail"]
    assert not Document.objects.exists()


def test_an_upload_above_the_limit_is_413(seeker_client, settings):
    settings.KAZI_UPLOAD_MAX_BYTES = 2048
    content = pdf_bytes(padding=4096)
    assert len(content) > 2048

    response = upload(seeker_client, content, "big.pdf")

    assert response.status_code == 413
    assert "2048" in response.data["detail"]
    assert not Document.objects.exists()


def test_an_upload_at_the_limit_is_accepted(seeker_client, settings):
    content = pdf_bytes()
    settings.KAZI_UPLOAD_MAX_BYTES = len(content)
    assert upload(seeker_client, content, "exact.pdf").status_code == 201


def test_the_default_limit_is_ten_megabytes(settings):
    assert settings.KAZI_UPLOAD_MAX_BYTES == 10 * 1024 * 1024


def test_an_empty_file_is_400(seeker_client):
    response = upload(seeker_client, b"", "empty.pdf")
    assert response.status_code == 400
    assert "file" in response.data


def test_unknown_document_type_is_400(seeker_client):
    response = upload(seeker_client, pdf_bytes(), "cv.pdf", document_type="passport")
    assert response.status_code == 400
    assert "document_type" in response.data


def test_missing_file_is_400(seeker_client):
    response = seeker_client.post("/api/documents/", {"document_type": "resume"}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.data


def test_a_json_upload_is_415(seeker_client):
    response = seeker_client.post("/api/documents/", {"document_type": "resume", "file": "x"}, format="json")
    assert response.status_code == 415
    assert "detail" in response.data


def test_anonymous_cannot_upload(api_client):
    assert upload(api_client, pdf_bytes(), "cv.pdf").status_code == 401


def test_a_path_in_the_file_name_is_not_kept(seeker_client):
    response = upload(seeker_client, pdf_bytes(), "../../etc/passwd.pdf")
    assert response.status_code == 201
    assert "/" not in response.data["original_name"]
    assert ".." not in Document.objects.get().file.name


# --- list, read, delete ---------------------------------------------------------------------
def test_owner_lists_and_reads_own_documents(seeker_client):
    mine = upload(seeker_client, pdf_bytes(), "cv.pdf").data
    upload(client_for(factories.SeekerFactory()), pdf_bytes(), "theirs.pdf")

    assert ids(seeker_client.get("/api/documents/")) == {mine["id"]}
    detail = seeker_client.get(f"/api/documents/{mine['id']}/")
    assert detail.status_code == 200
    assert detail.data["status"] == "uploaded"
    assert detail.data["progress"] == 0


def test_document_list_filters_by_type(seeker_client):
    resume = upload(seeker_client, pdf_bytes(), "cv.pdf").data
    upload(seeker_client, pdf_bytes(), "letter.pdf", document_type="cover_letter")
    assert ids(seeker_client.get("/api/documents/", {"document_type": "resume"})) == {resume["id"]}


def test_another_users_document_is_404(seeker_client):
    theirs = upload(client_for(factories.SeekerFactory()), pdf_bytes(), "theirs.pdf").data

    assert seeker_client.get(f"/api/documents/{theirs['id']}/").status_code == 404
    assert download(seeker_client, theirs["id"]).status_code == 404
    assert seeker_client.delete(f"/api/documents/{theirs['id']}/").status_code == 404
    assert Document.objects.filter(pk=theirs["id"]).exists()


@pytest.mark.parametrize("pk", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "1"])
def test_nonsense_document_ids_are_404(seeker_client, pk):
    assert seeker_client.get(f"/api/documents/{pk}/").status_code == 404
    assert download(seeker_client, pk).status_code == 404


def test_owner_deletes_a_document(seeker_client, django_capture_on_commit_callbacks):
    document = upload(seeker_client, pdf_bytes(), "cv.pdf").data
    stored = Document.objects.get(pk=document["id"]).file
    storage, name = stored.storage, stored.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        response = seeker_client.delete(f"/api/documents/{document['id']}/")

    assert response.status_code == 204
    assert not Document.objects.filter(pk=document["id"]).exists()
    assert not storage.exists(name)
    assert seeker_client.get(f"/api/documents/{document['id']}/").status_code == 404


# --- download --------------------------------------------------------------------------------
def test_owner_downloads_the_file(seeker_client):
    content = pdf_bytes()
    document = upload(seeker_client, content, "cv.pdf").data

    response = download(seeker_client, document["id"])

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == PDF
    assert "attachment" in response["Content-Disposition"]
    assert "cv.pdf" in response["Content-Disposition"]


def test_a_download_is_named_for_what_the_file_is(seeker_client):
    """A PDF uploaded as resume.docx downloads as resume.pdf, so the reader's computer opens it."""
    document = upload(seeker_client, pdf_bytes(), "resume.docx").data

    response = download(seeker_client, document["id"])

    assert response["Content-Type"] == PDF
    assert 'filename="resume.pdf"' in response["Content-Disposition"]


def test_recruiter_of_a_company_the_owner_applied_to_may_read_not_delete(seeker_client, recruiter_client, recruiter):
    content = pdf_bytes()
    document = upload(seeker_client, content, "cv.pdf").data
    job = factories.JobFactory(company=recruiter.company)
    assert (
        seeker_client.post(f"/api/jobs/{job.pk}/apply/", {"resume": document["id"]}, format="json").status_code == 201
    )

    assert recruiter_client.get(f"/api/documents/{document['id']}/").status_code == 200
    response = download(recruiter_client, document["id"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert document["id"] in ids(recruiter_client.get("/api/documents/"))

    assert recruiter_client.delete(f"/api/documents/{document['id']}/").status_code == 403
    assert Document.objects.filter(pk=document["id"]).exists()


def test_recruiter_of_another_company_gets_404(seeker_client, recruiter_client):
    document = upload(seeker_client, pdf_bytes(), "cv.pdf").data
    job = factories.JobFactory()  # not the recruiter's company
    seeker_client.post(f"/api/jobs/{job.pk}/apply/", {"resume": document["id"]}, format="json")

    assert recruiter_client.get(f"/api/documents/{document['id']}/").status_code == 404
    assert download(recruiter_client, document["id"]).status_code == 404
    assert ids(recruiter_client.get("/api/documents/")) == set()


def test_recruiter_without_an_application_gets_404(seeker_client, recruiter_client):
    document = upload(seeker_client, pdf_bytes(), "cv.pdf").data
    assert download(recruiter_client, document["id"]).status_code == 404


def test_admin_may_download_any_document(seeker_client, admin_client_jwt):
    document = upload(seeker_client, pdf_bytes(), "cv.pdf").data
    assert download(admin_client_jwt, document["id"]).status_code == 200


def test_anonymous_cannot_download(seeker_client, api_client):
    document = upload(seeker_client, pdf_bytes(), "cv.pdf").data
    assert download(api_client, document["id"]).status_code == 401
