"""Attachments: judged by their bytes and size, downloadable by participants only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chat.models import Message
from tests.chat.helpers import message_url, messages_url, png_bytes
from tests.conftest import client_for
from tests.marketplace.helpers import pdf_bytes

pytestmark = pytest.mark.django_db


def post_file(client, conversation, content: bytes, name: str, message_type: str, text: str = "", mime: str = ""):
    upload = SimpleUploadedFile(name, content, content_type=mime or "application/octet-stream")
    return client.post(
        messages_url(conversation),
        {"content": text, "message_type": message_type, "attachment": upload},
        format="multipart",
    )


def download(client, conversation, message_id):
    return client.get(f"{message_url(conversation, message_id)}attachment/")


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_png_image_message_is_accepted(recruiter_client, seeker_client, conversation):
    image = png_bytes(4, 3)

    response = post_file(recruiter_client, conversation, image, "office.png", "image", text="Our office")

    assert response.status_code == 201, response.content
    assert response.data["message_type"] == "image"
    assert response.data["content"] == "Our office"
    attachment = response.data["attachment"]
    assert attachment["name"] == "office.png"
    assert attachment["size"] == len(image)
    assert attachment["content_type"] == "image/png"
    assert attachment["url"] == f"{message_url(conversation, response.data['id'])}attachment/"
    # The other participant sees it in the conversation.
    [shown] = seeker_client.get(messages_url(conversation)).data["results"]
    assert shown["attachment"] == attachment


def test_an_image_message_needs_no_text(recruiter_client, conversation):
    response = post_file(recruiter_client, conversation, png_bytes(), "p.png", "image")

    assert response.status_code == 201
    assert response.data["content"] == ""


def test_a_text_file_sent_as_an_image_is_a_400(recruiter_client, conversation):
    response = post_file(recruiter_client, conversation, b"just some text\n" * 10, "cat.png", "image", mime="image/png")

    assert response.status_code == 400
    assert "attachment" in response.data
    assert not Message.objects.exists()


def test_a_pdf_sent_as_an_image_is_a_400(recruiter_client, conversation):
    response = post_file(recruiter_client, conversation, pdf_bytes(), "photo.png", "image")

    assert response.status_code == 400
    assert "attachment" in response.data


def test_a_pdf_file_message_is_accepted_and_downloads_intact(recruiter_client, seeker_client, conversation):
    pdf = pdf_bytes()

    response = post_file(recruiter_client, conversation, pdf, "offer letter.pdf", "file", text="The offer")

    assert response.status_code == 201, response.content
    assert response.data["message_type"] == "file"
    assert response.data["attachment"]["content_type"] == "application/pdf"
    downloaded = download(seeker_client, conversation, response.data["id"])
    assert downloaded.status_code == 200
    assert body(downloaded) == pdf
    assert downloaded["Content-Type"] == "application/pdf"
    assert "attachment" in downloaded["Content-Disposition"]
    assert "offer_letter.pdf" in downloaded["Content-Disposition"]


def test_a_script_sent_as_a_file_is_a_400(recruiter_client, conversation):
    response = post_file(recruiter_client, conversation, b"#!/bin/sh\nrm -rf /\n", "cv.pdf", "file")

    assert response.status_code == 400
    assert "attachment" in response.data


def test_the_type_comes_from_the_bytes_not_the_name(recruiter_client, seeker_client, conversation):
    image = png_bytes()

    response = post_file(recruiter_client, conversation, image, "page.html", "file", mime="text/html")

    assert response.status_code == 201
    assert response.data["attachment"]["content_type"] == "image/png"
    assert download(seeker_client, conversation, response.data["id"])["Content-Type"] == "image/png"


def test_an_oversized_attachment_is_a_413(settings, recruiter_client, conversation):
    settings.KAZI_CHAT_ATTACHMENT_MAX_BYTES = 1024

    response = post_file(recruiter_client, conversation, png_bytes(padding=2000), "big.png", "image")

    assert response.status_code == 413
    assert "1024" in response.data["detail"]
    assert not Message.objects.exists()
    assert post_file(recruiter_client, conversation, png_bytes(), "small.png", "image").status_code == 201


def test_a_text_message_with_an_attachment_and_a_file_message_without_one_are_400(recruiter_client, conversation):
    with_file = post_file(recruiter_client, conversation, png_bytes(), "p.png", "text", text="hi")
    without_file = recruiter_client.post(
        messages_url(conversation), {"content": "see attached", "message_type": "file"}, format="json"
    )

    assert with_file.status_code == 400
    assert without_file.status_code == 400
    assert "attachment" in without_file.data
    assert not Message.objects.exists()


def test_both_participants_download_and_others_get_404(recruiter_client, seeker_client, outsider_client, conversation):
    image = png_bytes(2, 2)
    message = post_file(recruiter_client, conversation, image, "p.png", "image").data

    for client in (recruiter_client, seeker_client):
        response = download(client, conversation, message["id"])
        assert response.status_code == 200
        assert body(response) == image

    assert download(outsider_client, conversation, message["id"]).status_code == 404


def test_an_admin_outside_the_conversation_gets_404_too(admin_user, recruiter_client, conversation):
    message = post_file(recruiter_client, conversation, png_bytes(), "p.png", "image").data

    assert download(client_for(admin_user), conversation, message["id"]).status_code == 404


def test_a_text_message_has_nothing_to_download(recruiter_client, conversation):
    message = recruiter_client.post(messages_url(conversation), {"content": "hi"}, format="json").data

    assert download(recruiter_client, conversation, message["id"]).status_code == 404


def test_a_deleted_message_loses_its_file(
    recruiter_client, seeker_client, conversation, django_capture_on_commit_callbacks
):
    message = post_file(recruiter_client, conversation, png_bytes(), "p.png", "image").data
    stored = Message.objects.get(pk=message["id"]).attachment
    storage, name = stored.storage, stored.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        assert recruiter_client.delete(message_url(conversation, message["id"])).status_code == 204

    assert download(seeker_client, conversation, message["id"]).status_code == 404
    assert not storage.exists(name)
    [shown] = seeker_client.get(messages_url(conversation)).data["results"]
    assert shown["deleted"] is True
    assert shown["attachment"] is None
