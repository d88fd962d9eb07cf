"""Who may open a conversation with whom, and that nobody outside a conversation can see or touch it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chat import services
from chat.models import Conversation, Message
from tests import factories
from tests.chat.helpers import CONVERSATIONS, conversation_url, direct, message_url, messages_url, png_bytes, sent
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def start(client, other, **extra):
    return client.post(CONVERSATIONS, {"participant_id": other.pk, **extra}, format="json")


def participant_ids(response) -> set[str]:
    return {p["user_id"] for p in response.data["participants"]}


# --- starting a direct conversation ------------------------------------------------------------
def test_recruiter_may_write_to_any_seeker(recruiter_client, recruiter, seeker):
    response = start(recruiter_client, seeker)

    assert response.status_code == 201, response.content
    assert response.data["kind"] == "direct"
    assert participant_ids(response) == {str(recruiter.pk), str(seeker.pk)}
    assert response.data["unread_count"] == 0


def test_seeker_may_write_to_a_recruiter_of_a_company_they_applied_to(seeker_client, seeker, recruiter):
    factories.ApplicationFactory(candidate=seeker, job=factories.JobFactory(company=recruiter.company))

    response = start(seeker_client, recruiter)

    assert response.status_code == 201, response.content
    assert participant_ids(response) == {str(recruiter.pk), str(seeker.pk)}


def test_seeker_who_did_not_apply_is_refused_with_the_reason(seeker_client, seeker, recruiter):
    # Applied elsewhere: not to this recruiter's company.
    factories.ApplicationFactory(candidate=seeker)

    response = start(seeker_client, recruiter)

    assert response.status_code == 403
    assert "applied" in response.data["detail"]
    assert not Conversation.objects.exists()


def test_recruiter_cannot_open_a_conversation_with_another_recruiter(recruiter_client):
    response = start(recruiter_client, factories.RecruiterFactory())

    assert response.status_code == 403
    assert response.data["detail"]
    assert not Conversation.objects.exists()


def test_seeker_cannot_open_a_conversation_with_another_seeker(seeker_client):
    response = start(seeker_client, factories.SeekerFactory())

    assert response.status_code == 403
    assert response.data["detail"]


@pytest.mark.parametrize("other_factory", [factories.SeekerFactory, factories.RecruiterFactory, factories.AdminFactory])
def test_admin_may_write_to_anyone(admin_client_jwt, other_factory):
    response = start(admin_client_jwt, other_factory())

    assert response.status_code == 201, response.content


def test_nobody_opens_a_conversation_with_themselves(recruiter_client, recruiter):
    response = start(recruiter_client, recruiter)

    assert response.status_code in (400, 403)
    assert "yourself" in str(response.data)
    assert not Conversation.objects.exists()


def test_unknown_or_inactive_user_is_a_400(recruiter_client):
    gone = factories.SeekerFactory(is_active=False)

    assert start(recruiter_client, gone).status_code == 400
    response = recruiter_client.post(CONVERSATIONS, {"participant_id": 999_999_999}, format="json")
    assert response.status_code == 400
    assert "participant_id" in response.data


def test_neither_or_both_participant_fields_is_a_400(recruiter_client, seeker):
    assert recruiter_client.post(CONVERSATIONS, {}, format="json").status_code == 400
    response = recruiter_client.post(
        CONVERSATIONS, {"participant_id": seeker.pk, "participant_ids": [seeker.pk]}, format="json"
    )
    assert response.status_code == 400


def test_anonymous_is_a_401(api_client, seeker):
    assert api_client.get(CONVERSATIONS).status_code == 401
    assert start(api_client, seeker).status_code == 401


# --- one direct conversation per pair ----------------------------------------------------------
def test_repeating_a_direct_creation_returns_the_same_conversation_with_200(recruiter_client, recruiter, seeker):
    first = start(recruiter_client, seeker)
    again = start(recruiter_client, seeker)
    from_the_other_side = start(client_for(seeker), recruiter)

    assert first.status_code == 201
    assert again.status_code == 200
    assert from_the_other_side.status_code == 200
    assert first.data["id"] == again.data["id"] == from_the_other_side.data["id"]
    assert Conversation.objects.count() == 1


def test_related_job_is_kept_and_an_unknown_job_is_a_400(recruiter_client, recruiter, seeker):
    job = factories.JobFactory(company=recruiter.company)

    response = start(recruiter_client, seeker, related_job=job.pk, title="About the role")
    assert response.status_code == 201
    assert response.data["related_job"] == job.pk
    assert response.data["title"] == "About the role"

    response = start(recruiter_client, factories.SeekerFactory(), related_job=999_999_999)
    assert response.status_code == 400
    assert "related_job" in response.data


# --- groups ------------------------------------------------------------------------------------
def test_recruiter_may_open_a_group_with_seekers(recruiter_client, recruiter):
    seekers = [factories.SeekerFactory(), factories.SeekerFactory()]

    response = recruiter_client.post(
        CONVERSATIONS, {"participant_ids": [s.pk for s in seekers], "title": "Panel"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.data["kind"] == "group"
    assert participant_ids(response) == {str(recruiter.pk), *(str(s.pk) for s in seekers)}


def test_a_group_with_someone_the_creator_may_not_write_to_is_refused(recruiter_client):
    other_recruiter = factories.RecruiterFactory(first_name="Rita", last_name="Other")

    response = recruiter_client.post(
        CONVERSATIONS, {"participant_ids": [factories.SeekerFactory().pk, other_recruiter.pk]}, format="json"
    )

    assert response.status_code == 403
    assert "Rita Other" in response.data["detail"]
    assert not Conversation.objects.exists()


def test_a_group_needs_two_other_people(recruiter_client, recruiter, seeker):
    response = recruiter_client.post(CONVERSATIONS, {"participant_ids": [seeker.pk, recruiter.pk]}, format="json")

    assert response.status_code == 400
    assert "participant_ids" in response.data
    assert not Conversation.objects.exists()


def test_everyone_in_a_group_gets_the_message(recruiter_client, recruiter):
    seekers = [factories.SeekerFactory() for _ in range(3)]
    group = recruiter_client.post(CONVERSATIONS, {"participant_ids": [s.pk for s in seekers]}, format="json").data
    conversation = Conversation.objects.get(pk=group["id"])

    message = sent(recruiter_client, conversation, "Welcome to the panel")

    for seeker in seekers:
        [shown] = client_for(seeker).get(messages_url(conversation)).data["results"]
        assert shown["id"] == message["id"]
        assert shown["content"] == "Welcome to the panel"


# --- outsiders see nothing ---------------------------------------------------------------------
@pytest.fixture
def message_with_attachment(conversation, recruiter):
    response = client_for(recruiter).post(
        messages_url(conversation),
        {"message_type": "image", "attachment": SimpleUploadedFile("p.png", png_bytes(), "image/png")},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    return response.data


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "{conversation}", None),
        ("delete", "{conversation}", None),
        ("get", "{conversation}messages/", None),
        ("post", "{conversation}messages/", {"content": "let me in"}),
        ("delete", "{conversation}messages/{message}/", None),
        ("get", "{conversation}messages/{message}/attachment/", None),
        ("post", "{conversation}mark-as-read/", None),
        ("post", "{conversation}archive/", {"archived": True}),
    ],
)
def test_a_non_participant_gets_404_everywhere(
    outsider_client, conversation, message_with_attachment, method, path, body
):
    url = path.format(conversation=conversation_url(conversation), message=message_with_attachment["id"])

    response = getattr(outsider_client, method)(url, body, format="json")

    assert response.status_code == 404, (url, response.status_code)
    # Nothing changed for the participants either.
    message = Message.objects.get()
    assert message.deleted_at is None
    assert list(message.conversation.participants.values_list("archived", "hidden_at")) == [(False, None)] * 2


def test_a_non_participant_does_not_see_the_conversation_listed(outsider_client, conversation):
    response = outsider_client.get(CONVERSATIONS)

    assert response.status_code == 200
    assert response.data["results"] == []


def test_a_message_of_another_conversation_is_404_through_mine(recruiter, seeker, conversation):
    # The seeker is in `conversation`; the message lives in a conversation they are not part of.
    elsewhere = direct(recruiter, factories.SeekerFactory())
    message = services.message_send(conversation=elsewhere, sender=recruiter, content="private")

    response = client_for(seeker).delete(message_url(conversation, message.pk))
    attachment = client_for(seeker).get(f"{message_url(conversation, message.pk)}attachment/")

    assert response.status_code == 404
    assert attachment.status_code == 404
    message.refresh_from_db()
    assert message.deleted_at is None


# --- only the sender deletes ------------------------------------------------------------------
def test_only_the_sender_may_delete_a_message(recruiter_client, seeker_client, conversation):
    message = sent(recruiter_client, conversation, "Hello, are you free on Monday?")

    refused = seeker_client.delete(message_url(conversation, message["id"]))
    assert refused.status_code == 403
    assert "sender" in refused.data["detail"]
    assert Message.objects.get(pk=message["id"]).deleted_at is None

    assert recruiter_client.delete(message_url(conversation, message["id"])).status_code == 204
    assert Message.objects.get(pk=message["id"]).deleted_at is not None
