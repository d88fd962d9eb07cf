"""The data export: POST /api/auth/export/ → 202; a worker builds a ZIP of JSON per model of the inventory;
a stored `data_export_ready` notification and a mail carry the signed download link, which only works for
that export, while it lasts."""

import io
import json
import re
import zipfile
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.models import Document
from notifications.models import Notification
from privacy.export import data_exports_prune, download_token
from privacy.inventory import HOLDINGS
from privacy.models import DataExport, ExportStatus
from tests import factories
from tests.conftest import client_for
from tests.mail import parts_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(person, smtp_server, settings, django_capture_on_commit_callbacks):
    """Ask for an export as the person and let the worker (eager, in this process) build it."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.KAZI_SITE_URL = "http://testserver"

    def build():
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(person).post("/api/auth/export/")
        assert response.status_code == 202, response.content
        return response

    return build


def download(url: str):
    return APIClient().get(urlsplit(url).path)


def archive_of(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_export_holds_every_row_of_every_table_that_refers_to_the_person(person, everywhere, built, smtp_server):
    response = built()

    assert response.data["status"] == "pending"  # answered before the worker ran
    notification = Notification.objects.get(recipient=person, notification_type="data_export_ready")
    assert notification.event_type == "notification"
    url = notification.data["download_url"]
    archive = archive_of(download(url))
    names = set(archive.namelist())
    [you] = json.loads(archive.read("accounts.User.json"))["rows"]
    assert you["email"] == "amina@example.com" and "password" not in you
    for holding in HOLDINGS:
        if holding.model is DataExport:
            continue
        name = f"{holding.label}.json"
        assert name in names, name
        content = json.loads(archive.read(name))
        assert holding.field in content["fields_referring_to_you"]
        row = everywhere[(holding.label, holding.field)]
        assert str(row.pk) in {str(r[row._meta.pk.attname]) for r in content["rows"]}, (holding.label, holding.field)
        for secret in holding.secret:
            assert all(secret not in r for r in content["rows"])
    # Nobody else's rows: every profile row in it is the person's.
    profiles = json.loads(archive.read("marketplace.JobSeekerProfile.json"))["rows"]
    assert {r["user_id"] for r in profiles} == {person.pk}


def test_the_ready_export_is_announced_by_mail_with_the_same_link(person, built, smtp_server):
    built()

    [message] = smtp_server.messages
    assert message["To"] == "amina@example.com"
    assert message["Subject"] == "Your Kazi data export is ready"
    text = parts_of(message)["text/plain"]
    [link] = re.findall(r"http://testserver/\S+/", text)
    notification = Notification.objects.get(recipient=person, notification_type="data_export_ready")
    assert link == notification.data["download_url"]
    assert f'href="{link}"' in parts_of(message)["text/html"]
    assert archive_of(download(link)).read("README.txt").startswith(b"Everything Kazi holds about you")


def test_the_person_s_uploaded_files_are_in_the_export(person, built):
    document = Document(
        owner=person, document_type="resume", original_name="cv.pdf", content_type="application/pdf", size=15
    )
    document.file.save("cv.pdf", ContentFile(b"%PDF-1.4 resume"), save=True)

    built()

    url = Notification.objects.get(recipient=person, notification_type="data_export_ready").data["download_url"]
    archive = archive_of(download(url))
    [stored] = [n for n in archive.namelist() if n.startswith(f"files/marketplace.Document/{document.pk}/")]
    assert archive.read(stored) == b"%PDF-1.4 resume"


def test_the_notification_is_in_the_notification_center(person, built):
    built()
    listed = client_for(person).get("/api/notifications/?type=data_export_ready")
    assert listed.status_code == 200
    [item] = listed.data["results"]
    assert item["data"]["download_url"].startswith("http://testserver/api/auth/export/download/")


def test_asking_again_while_it_builds_answers_the_same_export(person, settings):
    first = client_for(person).post("/api/auth/export/")
    second = client_for(person).post("/api/auth/export/")
    assert first.status_code == second.status_code == 202
    assert first.data["id"] == second.data["id"]
    assert DataExport.objects.filter(user=person).count() == 1


def test_the_export_needs_a_signed_in_caller():
    assert APIClient().post("/api/auth/export/").status_code == 401


def test_a_link_works_only_for_its_export_and_only_while_it_lasts(person, built):
    built()
    export = DataExport.objects.get(user=person)
    other = factories.SeekerFactory()
    others_export = DataExport.objects.create(
        user=other, status=ExportStatus.READY, expires_at=timezone.now() + timedelta(days=1)
    )
    others_export.file.save("x.zip", ContentFile(b"PK"), save=True)
    token = download_token(export)

    # A forged or altered link finds nothing.
    assert APIClient().get(f"/api/auth/export/download/{token[:-2]}xx/").status_code == 404
    assert APIClient().get("/api/auth/export/download/not-a-token/").status_code == 404
    assert APIClient().get(f"/api/auth/export/download/{download_token(others_export)}/").status_code == 200
    # Expired: the link dies, and the beat task removes the file.
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert APIClient().get(f"/api/auth/export/download/{token}/").status_code == 404
    assert data_exports_prune() == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and not export.file


def test_a_deleted_account_s_link_stops_working(person, built):
    built()
    token = download_token(DataExport.objects.get(user=person))
    client_for(person).delete("/api/auth/me/", {"password": factories.PASSWORD}, format="json")
    assert APIClient().get(f"/api/auth/export/download/{token}/").status_code == 404
