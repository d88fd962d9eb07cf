"""A seeker uploads a real resume; the parse fills their empty profile fields and tells them, step by step."""

from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace import services
from marketplace.models import Document
from notifications import groups
from notifications.models import Notification
from resumes.tasks import parse_resume
from tests.marketplace.helpers import ole_bytes
from tests.notifications.redis_listener import frame
from tests.resumes.files import docx_bytes, pdf_bytes, resume_lines, scanned_pdf_bytes


def upload(client, data: bytes, name: str):
    response = client.post(
        "/api/documents/",
        {"file": SimpleUploadedFile(name, data), "document_type": "resume"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_uploading_a_resume_queues_its_parse_after_commit(new_seeker_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        document_id = upload(new_seeker_client, pdf_bytes(resume_lines()), "cv.pdf")
    assert callbacks, "the parse task is queued when the upload commits"
    assert Document.objects.get(pk=document_id).status == "uploaded"


def test_a_pdf_resume_fills_the_empty_profile(new_seeker, new_seeker_client):
    document_id = upload(new_seeker_client, pdf_bytes(resume_lines()), "amina-cv.pdf")

    assert parse_resume(document_id) == "completed"

    profile = new_seeker_client.get("/api/profile/").json()
    assert profile["user"]["first_name"] == "Amina"
    assert profile["user"]["last_name"] == "Wanjiru"
    assert profile["headline"] == "Senior Software Engineer"
    assert profile["summary"] == "Backend engineer who builds payment systems."
    assert {"Python", "Django", "PostgreSQL", "Docker"} <= {s["name"] for s in profile["skills"]}
    assert profile["experience_years"] == 9  # Mar 2016 – Dec 2024
    assert profile["experience_level"] == "lead"  # 9 years: the level the match scorer infers
    document = new_seeker_client.get(f"/api/documents/{document_id}/").json()
    assert (document["status"], document["progress"], document["error"]) == ("completed", 100, "")
    assert document["parsed_data"]["email"] == "amina.wanjiru@example.com"
    assert document["parsed_data"]["phone"] == "+254 712 345 678"
    assert document["parsed_data"]["education"] == ["BSc Computer Science, University of Nairobi, 2015"]


def test_a_docx_resume_is_read_the_same_way(new_seeker_client):
    document_id = upload(
        new_seeker_client, docx_bytes(resume_lines(name="John Otieno", skills=("Go", "Kubernetes"))), "cv.docx"
    )
    parse_resume(document_id)
    profile = new_seeker_client.get("/api/profile/").json()
    assert profile["user"]["first_name"] == "John"
    assert {"Go", "Kubernetes"} <= {s["name"] for s in profile["skills"]}


def test_what_the_user_typed_is_never_overwritten_and_the_rest_is_offered(seeker):
    from tests.conftest import client_for

    client = client_for(seeker)  # the factory seeker typed a headline, skills and 3 years
    before = client.get("/api/profile/").json()
    document_id = upload(client, pdf_bytes(resume_lines()), "cv.pdf")
    parse_resume(document_id)

    after = client.get("/api/profile/").json()
    for field in ("headline", "skills", "experience_years", "experience_level"):
        assert after[field] == before[field], field
    assert (after["user"]["first_name"], after["user"]["last_name"]) == (
        before["user"]["first_name"],
        before["user"]["last_name"],
    )
    suggestions = after["resume_suggestions"]
    assert suggestions["document_id"] == document_id
    assert suggestions["fields"]["headline"] == "Senior Software Engineer"
    assert suggestions["fields"]["experience_years"] == 9

    accepted = client.post(
        f"/api/documents/{document_id}/accept/", {"fields": ["headline", "skills"]}, format="json"
    ).json()
    assert accepted["headline"] == "Senior Software Engineer"
    names = [s["name"] for s in accepted["skills"]]
    assert names[0] == "Python" and accepted["skills"][0]["level"] == "advanced"  # kept, with its level
    assert {"Django", "PostgreSQL"} <= set(names)
    assert accepted["experience_years"] == 3  # not chosen, not changed
    assert "headline" not in accepted["resume_suggestions"]["fields"]


def test_accepting_a_field_the_resume_lacks_is_a_clear_400(new_seeker_client):
    document_id = upload(new_seeker_client, pdf_bytes(["Jane Doe", "jane@example.com"]), "cv.pdf")
    parse_resume(document_id)
    response = new_seeker_client.post(f"/api/documents/{document_id}/accept/", {"fields": ["headline"]}, format="json")
    assert response.status_code == 400
    assert "headline" in str(response.json())
    response = new_seeker_client.post(f"/api/documents/{document_id}/accept/", {"fields": ["salary"]}, format="json")
    assert response.status_code == 400


def test_the_owner_gets_one_resume_completed_and_watchers_see_progress_rise(
    new_seeker, new_seeker_client, listener, django_capture_on_commit_callbacks
):
    document_id = upload(new_seeker_client, pdf_bytes(resume_lines()), "cv.pdf")
    listener.subscribe(groups.resume_group(document_id))

    with django_capture_on_commit_callbacks(execute=True):
        parse_resume(document_id)

    frames = [frame(envelope) for _, envelope in listener.received()]
    progress = [f["data"]["progress"] for f in frames]
    assert all(f["type"] == "resume_progress" and f["resume_id"] == document_id for f in frames)
    assert progress == sorted(progress) and progress[-1] == 100
    assert [f["data"]["current_step"] for f in frames][1:-1] == [
        "Extracting text",
        "Extracting contact details",
        "Extracting skills",
        "Extracting work experience",
        "Extracting education",
        "Saving results",
    ]
    assert frames[-1]["data"]["status"] == "completed"
    [note] = Notification.objects.filter(recipient=new_seeker)
    assert note.notification_type == "resume_completed"
    assert note.data["resume_id"] == document_id
    assert "first_name" not in note.data["filled_fields"] and "headline" in note.data["filled_fields"]


def test_parsing_again_changes_nothing(new_seeker, new_seeker_client):
    """A retried task (the worker died after the commit, before the ack) must not fill or notify twice."""
    document_id = upload(new_seeker_client, pdf_bytes(resume_lines()), "cv.pdf")
    parse_resume(document_id)
    new_seeker_client.patch("/api/profile/", {"headline": "Typed after the parse"}, format="json")

    assert parse_resume(document_id) == "completed"

    assert new_seeker_client.get("/api/profile/").json()["headline"] == "Typed after the parse"
    assert Notification.objects.filter(recipient=new_seeker).count() == 1


def test_a_scanned_pdf_ends_in_no_text_found(
    new_seeker, new_seeker_client, listener, django_capture_on_commit_callbacks
):
    document_id = upload(new_seeker_client, scanned_pdf_bytes(), "scan.pdf")
    listener.subscribe(groups.resume_group(document_id))

    with django_capture_on_commit_callbacks(execute=True):
        assert parse_resume(document_id) == "failed"

    document = new_seeker_client.get(f"/api/documents/{document_id}/").json()
    assert document["status"] == "failed"
    assert document["error"].startswith("No text found")
    last = frame(listener.received()[-1][1])
    assert last["data"]["status"] == "failed" and last["data"]["error"].startswith("No text found")
    [note] = Notification.objects.filter(recipient=new_seeker)
    assert note.notification_type == "resume_failed" and "No text found" in note.message


def test_a_word_97_resume_is_kept_with_the_reason_it_was_not_read(new_seeker_client):
    document_id = upload(new_seeker_client, ole_bytes("WordDocument"), "cv.doc")
    parse_resume(document_id)
    document = new_seeker_client.get(f"/api/documents/{document_id}/").json()
    assert document["status"] == "failed"
    assert "Text not extracted" in document["error"]
    assert new_seeker_client.get(f"/api/documents/{document_id}/download/").status_code == 200


def test_a_resume_whose_file_is_gone_fails_clearly(new_seeker):
    document = services.document_create(
        owner=new_seeker, uploaded_file=SimpleUploadedFile("cv.pdf", pdf_bytes(resume_lines())), document_type="resume"
    )
    document.file.storage.delete(document.file.name)
    assert parse_resume(str(document.pk)) == "failed"
    document.refresh_from_db()
    assert document.error == "The file of this document is no longer stored."


def test_a_deleted_document_is_a_quiet_no_op(db):
    assert parse_resume("00000000-0000-0000-0000-000000000000") == "missing"


def test_cover_letters_are_not_parsed(new_seeker_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = new_seeker_client.post(
            "/api/documents/",
            {"file": SimpleUploadedFile("letter.pdf", pdf_bytes(["Dear team"])), "document_type": "cover_letter"},
            format="multipart",
        )
    assert response.status_code == 201
    assert callbacks == []
