"""core.parsers: the API's JSON parser."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chat import services as chat_services
from marketplace import services as marketplace_services
from tests.chat.helpers import messages_url
from tests.marketplace.helpers import pdf_bytes

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000


def post_deep(client, url, method="POST"):
    return client.generic(method, url, DEEP, content_type="application/json")


@pytest.mark.parametrize("method, url", [("PUT", "/api/profile/"), ("POST", "/api/auth/register/")])
def test_a_body_nested_too_deeply_is_a_400(seeker_client, method, url):
    # json raises RecursionError there, which DRF's parser let through as a 500.
    response = post_deep(seeker_client, url, method)

    assert response.status_code == 400, response.content
    assert "nested too deeply" in response.json()["detail"]


def test_views_that_name_their_parsers_use_it_too(seeker, seeker_client, recruiter):
    conversation, _ = chat_services.conversation_start_direct(initiator=recruiter, other=seeker)
    document = marketplace_services.document_create(
        owner=seeker, uploaded_file=SimpleUploadedFile("cv.pdf", pdf_bytes()), document_type="resume"
    )

    for url in (messages_url(conversation), f"/api/documents/{document.pk}/accept/"):
        response = post_deep(seeker_client, url)
        assert response.status_code == 400, (url, response.content)
        assert "nested too deeply" in response.json()["detail"]
