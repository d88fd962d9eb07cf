"""A recruiter imports a ZIP of resumes: each good one becomes a candidate of their company, the rest are refused
per file with a reason, and the counts they are told at the end are exact."""

import tracemalloc
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.models import Document
from notifications.models import Notification
from resumes.models import BulkImport, CandidateRecord
from resumes.tasks import parse_resume
from tests import factories
from tests.conftest import client_for
from tests.resumes.files import add_expanding_member, docx_bytes, pdf_bytes, resume_lines, zip_bytes

GIB = 1 << 30


def person(i: int) -> dict:
    return {"name": f"Candidate Number{chr(65 + i % 26)}{chr(65 + i // 26)}", "email": f"candidate{i}@example.com"}


def resume_file(i: int) -> bytes:
    lines = resume_lines(**person(i), phone=f"+254 700 000 {i:03d}", skills=("Python", "SQL", f"Skill{i}"))
    return pdf_bytes(lines) if i % 2 else docx_bytes(lines)


@pytest.fixture(scope="module")
def acceptance_zip() -> bytes:
    """50 resumes, 3 duplicates, 2 corrupt files, a '../' name and a member that expands to 1 GiB."""
    members = {f"resumes/cv-{i:02d}.{'pdf' if i % 2 else 'docx'}": resume_file(i) for i in range(50)}
    members["copies/cv-03-again.pdf"] = members["resumes/cv-03.pdf"]  # same file
    members["copies/cv-04-again.docx"] = members["resumes/cv-04.docx"]  # same file
    members["copies/candidate7-new.pdf"] = pdf_bytes(resume_lines(**person(7), skills=("Rust",)))  # same email
    members["broken/damaged.pdf"] = b"%PDF-1.7\n" + b"\x00not really a pdf" * 100  # corrupt: looks like a PDF
    members["broken/damaged.docx"] = b"\x13\x37" * 500  # corrupt: not a document at all
    members["../../escape.pdf"] = resume_file(60)
    return add_expanding_member(zip_bytes(members), "bomb.pdf", GIB)


def parse_all(bulk_id, capture) -> None:
    for document_id in (
        Document.objects.filter(bulk_import_id=bulk_id).order_by("created_at").values_list("pk", flat=True)
    ):
        with capture(execute=True):
            parse_resume(str(document_id))


def test_the_acceptance_archive_reports_exact_counts(
    recruiter, acceptance_zip, settings, tmp_path, django_capture_on_commit_callbacks
):
    other_recruiter_same_company = factories.RecruiterFactory(company=recruiter.company)
    outsider = factories.RecruiterFactory()
    client = client_for(recruiter)

    tracemalloc.start()
    response = client.post(
        "/api/documents/bulk/",
        {"files": [SimpleUploadedFile("batch.zip", acceptance_zip, content_type="application/zip")]},
        format="multipart",
    )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 202, response.content
    assert peak < 64 * 1024 * 1024, f"the import held {peak / 2**20:.0f} MiB at once"
    bulk_id = response.json()["id"]
    assert response.json()["status"] == "processing"

    parse_all(bulk_id, django_capture_on_commit_callbacks)

    body = client.get(f"/api/documents/bulk/{bulk_id}/").json()
    assert body["status"] == "completed" and body["progress"] == 100
    assert (body["total"], body["imported"], body["duplicates"], body["failed"]) == (57, 50, 3, 4)
    reasons = {r["name"]: (r["outcome"], r["reason"]) for r in body["results"]}
    assert reasons["../../escape.pdf"][0] == "failed" and "'..'" in reasons["../../escape.pdf"][1]
    assert reasons["bomb.pdf"][0] == "failed" and "expands to 1073741824 bytes" in reasons["bomb.pdf"][1]
    assert reasons["broken/damaged.docx"] == (
        "failed",
        "Not a resume: only PDF, DOC and DOCX files are imported (judged by their content).",
    )
    assert reasons["damaged.pdf"][0] == "failed" and "could not be read" in reasons["damaged.pdf"][1]
    assert reasons["copies/cv-03-again.pdf"][0] == "duplicate"
    assert (
        reasons["candidate7-new.pdf"][0] == "duplicate" and "candidate7@example.com" in reasons["candidate7-new.pdf"][1]
    )

    records = CandidateRecord.objects.filter(company=recruiter.company)
    assert records.count() == 50
    record = records.get(email="candidate12@example.com")
    assert record.name == person(12)["name"]
    assert record.phone == "+254 700 000 012"
    assert {"Python", "SQL"} <= set(record.skills)

    [summary] = Notification.objects.filter(recipient=recruiter, notification_type="bulk_upload_completed")
    assert (summary.data["imported"], summary.data["duplicates"], summary.data["failed"]) == (50, 3, 4)
    assert {item["name"] for item in summary.data["not_imported"]} >= {"../../escape.pdf", "bomb.pdf"}
    assert (
        Notification.objects.filter(recipient=other_recruiter_same_company, notification_type="candidate_added").count()
        == 50
    )
    assert not Notification.objects.filter(recipient=outsider).exists()
    # Per-file resume_completed notes would bury the summary: an import reports once.
    assert not Notification.objects.filter(notification_type__in=["resume_completed", "resume_failed"]).exists()

    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert len(stored) == 52  # 50 resumes, the PDF that turned out damaged, the same-email copy
    assert all(Path(settings.MEDIA_ROOT) in p.parents for p in stored)
    assert not [p for p in tmp_path.parent.rglob("escape*")], "an archive name chose where a file landed"


def test_a_file_the_company_already_holds_is_a_duplicate_in_the_next_import(
    recruiter, django_capture_on_commit_callbacks
):
    client = client_for(recruiter)
    data = resume_file(1)
    first = client.post("/api/documents/bulk/", {"files": [SimpleUploadedFile("a.pdf", data)]}, format="multipart")
    parse_all(first.json()["id"], django_capture_on_commit_callbacks)
    second = client.post("/api/documents/bulk/", {"files": [SimpleUploadedFile("b.pdf", data)]}, format="multipart")
    body = second.json()
    assert (body["status"], body["duplicates"], body["imported"]) == ("completed", 1, 0)
    assert body["results"][0]["reason"] == "Same file as a.pdf (same content)."


def test_several_loose_files_are_one_import(recruiter, django_capture_on_commit_callbacks):
    client = client_for(recruiter)
    files = [SimpleUploadedFile(f"cv{i}.pdf", resume_file(i)) for i in (1, 3)] + [
        SimpleUploadedFile("notes.txt", b"just text")
    ]
    body = client.post("/api/documents/bulk/", {"files": files}, format="multipart").json()
    parse_all(body["id"], django_capture_on_commit_callbacks)
    body = client.get(f"/api/documents/bulk/{body['id']}/").json()
    assert (body["total"], body["imported"], body["failed"]) == (3, 2, 1)


def test_a_member_whose_header_lies_about_its_size_is_refused(recruiter, settings):
    settings.KAZI_UPLOAD_MAX_BYTES = 64 * 1024
    archive = add_expanding_member(zip_bytes({}), "big.pdf", 2 << 20)
    # Rewrite the declared sizes in both headers to 1 KiB; the bytes still inflate to 2 MiB.
    archive = archive.replace((2 << 20).to_bytes(8, "little"), (1024).to_bytes(8, "little"))
    body = (
        client_for(recruiter)
        .post("/api/documents/bulk/", {"files": [SimpleUploadedFile("lies.zip", archive)]}, format="multipart")
        .json()
    )
    assert body["failed"] == 1 and body["imported"] == 0
    assert body["results"][0]["outcome"] == "failed"


def test_nested_archives_are_not_opened(recruiter):
    inner = zip_bytes({"cv.pdf": resume_file(1)})
    body = (
        client_for(recruiter)
        .post(
            "/api/documents/bulk/",
            {"files": [SimpleUploadedFile("outer.zip", zip_bytes({"inner.zip": inner, "disguised.pdf": inner}))]},
            format="multipart",
        )
        .json()
    )
    assert [r["reason"] for r in body["results"]] == ["Archives inside the archive are not opened."] * 2


def test_a_damaged_zip_is_one_failed_file(recruiter):
    body = (
        client_for(recruiter)
        .post(
            "/api/documents/bulk/",
            {"files": [SimpleUploadedFile("x.zip", b"PK\x03\x04" + b"\x00" * 64)]},
            format="multipart",
        )
        .json()
    )
    assert body["failed"] == 1 and "damaged" in body["results"][0]["reason"]


def test_an_archive_over_the_upload_limit_is_413(recruiter, settings):
    settings.KAZI_BULK_UPLOAD_MAX_BYTES = 512
    response = client_for(recruiter).post(
        "/api/documents/bulk/",
        {"files": [SimpleUploadedFile("big.zip", zip_bytes({"a.pdf": resume_file(1)}))]},
        format="multipart",
    )
    assert response.status_code == 413
    assert not BulkImport.objects.exists()


def test_only_recruiters_of_a_company_or_admins_import(seeker_client, admin_user, recruiter):
    files = {"files": [SimpleUploadedFile("a.pdf", resume_file(1))]}
    assert seeker_client.post("/api/documents/bulk/", files, format="multipart").status_code == 403
    without_company = client_for(factories.RecruiterFactory(company=None))
    response = without_company.post(
        "/api/documents/bulk/", {"files": [SimpleUploadedFile("a.pdf", resume_file(1))]}, format="multipart"
    )
    assert response.status_code == 400 and "company" in response.json()
    admin = client_for(admin_user)
    response = admin.post(
        "/api/documents/bulk/", {"files": [SimpleUploadedFile("a.pdf", resume_file(1))]}, format="multipart"
    )
    assert response.status_code == 400 and "company" in response.json()
    response = admin.post(
        "/api/documents/bulk/",
        {"files": [SimpleUploadedFile("a.pdf", resume_file(1))], "company": recruiter.company.slug},
        format="multipart",
    )
    assert response.status_code == 202


def test_a_recruiter_sees_only_their_company_imports(recruiter):
    client_for(recruiter).post(
        "/api/documents/bulk/", {"files": [SimpleUploadedFile("a.pdf", resume_file(1))]}, format="multipart"
    )
    bulk = BulkImport.objects.get()
    outsider = client_for(factories.RecruiterFactory())
    assert outsider.get(f"/api/documents/bulk/{bulk.pk}/").status_code == 404
    assert outsider.get("/api/documents/bulk/").json()["count"] == 0
    assert client_for(recruiter).get("/api/documents/bulk/").json()["count"] == 1


def test_an_empty_upload_is_a_clear_400(recruiter):
    response = client_for(recruiter).post("/api/documents/bulk/", {}, format="multipart")
    assert response.status_code == 400 and "files" in response.json()


def test_a_seeker_registering_with_an_imported_email_is_linked(
    recruiter, api_client, django_capture_on_commit_callbacks
):
    body = (
        client_for(recruiter)
        .post("/api/documents/bulk/", {"files": [SimpleUploadedFile("a.pdf", resume_file(5))]}, format="multipart")
        .json()
    )
    parse_all(body["id"], django_capture_on_commit_callbacks)
    response = api_client.post(
        "/api/auth/register/",
        {"email": "Candidate5@example.com", "password": "a-long-enough-passphrase", "user_type": "job_seeker"},
        format="json",
    )
    assert response.status_code == 201
    record = CandidateRecord.objects.get(email="candidate5@example.com")
    assert record.user_id == response.json()["id"]
    assert client_for(recruiter).get(f"/api/candidate-records/{record.pk}/").json()["candidate_id"] == record.user_id


def test_the_list_of_imports_has_counts_and_one_import_has_every_file(recruiter, django_assert_max_num_queries):
    client = client_for(recruiter)
    for i in range(3):
        client.post(
            "/api/documents/bulk/", {"files": [SimpleUploadedFile(f"{i}.pdf", resume_file(i))]}, format="multipart"
        )
    with django_assert_max_num_queries(6):
        listed = client.get("/api/documents/bulk/").json()
    assert listed["count"] == 3 and "results" not in listed["results"][0]
    assert listed["results"][0]["total"] == 1
    one = client.get(f"/api/documents/bulk/{listed['results'][0]['id']}/").json()
    assert [r["outcome"] for r in one["results"]] == ["pending"]
