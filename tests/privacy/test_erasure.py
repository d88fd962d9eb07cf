"""Account deletion end to end: DELETE /api/auth/me/ deactivates at once; the beat task erases the account
after KAZI_ACCOUNT_DELETION_GRACE_DAYS, and then no table that holds personal data refers to the person,
while the others keep what is also theirs (the chat shows the person's messages from "Deleted user")."""

import json
import os
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from chat import services as chat_services
from marketplace import services as marketplace_services
from marketplace.models import Document
from notifications.models import Notification
from privacy.erasure import accounts_erase_due
from privacy.inventory import HOLDINGS, Erase
from tests import factories
from tests.conftest import client_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

# Tables whose text may still name the person after erasure, each with the reason.
KEPT_TEXT = {
    # A company's own record of a candidate (from a resume it was sent or imported): the company's, not the
    # account's; erasure removes the link to the account only.
    "resumes.CandidateRecord",
}


def delete_account(user) -> None:
    response = client_for(user).delete("/api/auth/me/", {"password": PASSWORD}, format="json")
    assert response.status_code == 202, response.content


def text_fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]


def rows_naming(model, needle: str) -> list:
    """Rows of `model` with `needle` in any text column (JSON too), read straight from the table."""
    lookup = models.Q()
    for name in text_fields(model):
        lookup |= models.Q(**{f"{name}__icontains": needle})
    for f in model._meta.concrete_fields:
        if isinstance(f, models.JSONField):
            lookup |= models.Q(**{f"{f.attname}__icontains": needle})
    return list(model._default_manager.filter(lookup)) if lookup else []


def test_nothing_is_erased_during_the_grace_period(person, everywhere, settings):
    delete_account(person)

    assert accounts_erase_due(now=timezone.now() + timedelta(days=settings.KAZI_ACCOUNT_DELETION_GRACE_DAYS - 1)) == 0

    assert User.objects.filter(pk=person.pk, is_active=False).exists()
    for (label, field), row in everywhere.items():
        assert type(row)._default_manager.filter(pk=row.pk).exists(), (label, field)


def test_after_the_grace_period_no_table_refers_to_the_person(
    person, everywhere, settings, django_capture_on_commit_callbacks
):
    other = factories.SeekerFactory()
    others_rows = {(label, field): type(row)._default_manager.count() for (label, field), row in everywhere.items()}
    named_before = {m._meta.label for m in apps.get_models() if rows_naming(m, person.email)}
    assert {"accounts.User", "core.OutgoingMail", "marketplace.CompanyInvitation"} <= named_before
    delete_account(person)

    with django_capture_on_commit_callbacks(execute=True):
        erased = accounts_erase_due(
            now=timezone.now() + timedelta(days=settings.KAZI_ACCOUNT_DELETION_GRACE_DAYS, seconds=1)
        )

    assert erased == 1
    assert not User.objects.filter(pk=person.pk).exists()
    assert User.objects.filter(pk=other.pk).exists()
    # Every user key of every table: none points to the person any more.
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                assert not model._default_manager.filter(**{field.attname: person.pk}).exists(), (model, field.name)
    # Detached rows are still there for the others; deleted ones are gone.
    for holding in HOLDINGS:
        row = everywhere[(holding.label, holding.field)]
        still_there = type(row)._default_manager.filter(pk=row.pk).exists()
        if holding.erase == Erase.DETACH:
            assert still_there, holding
        elif holding.model is not User:
            assert not still_there, holding
    # No table's text names the person's address (mail to it, invitations to it, ...).
    for model in apps.get_models():
        if model._meta.label not in KEPT_TEXT:
            assert rows_naming(model, person.email) == [], model._meta.label
    assert others_rows  # other people's rows were there to keep


def test_an_account_deleted_and_then_erased_leaves_its_chat_messages_from_deleted_user(
    settings, django_capture_on_commit_callbacks
):
    recruiter = factories.RecruiterFactory(first_name="Wanjiku")
    seeker = factories.SeekerFactory(first_name="Amina")
    conversation, _ = chat_services.conversation_start_direct(initiator=recruiter, other=seeker)
    chat_services.message_send(conversation=conversation, sender=seeker, content="Thank you for the call!")
    chat_services.message_send(conversation=conversation, sender=recruiter, content="You are welcome.")
    delete_account(seeker)

    with django_capture_on_commit_callbacks(execute=True):
        accounts_erase_due(now=timezone.now() + timedelta(days=settings.KAZI_ACCOUNT_DELETION_GRACE_DAYS + 1))

    response = client_for(recruiter).get(f"/api/chat/conversations/{conversation.pk}/messages/")
    assert response.status_code == 200
    by_content = {m["content"]: m for m in response.data["results"]}
    assert by_content["Thank you for the call!"]["sender_name"] == "Deleted user"
    assert by_content["Thank you for the call!"]["sender_id"] is None
    assert by_content["You are welcome."]["sender_name"] == recruiter.full_name
    # The conversation is still in the recruiter's list.
    listed = client_for(recruiter).get("/api/chat/conversations/")
    assert [c["id"] for c in listed.data["results"]] == [str(conversation.pk)]


def test_erasure_removes_the_person_s_stored_files(person, settings, django_capture_on_commit_callbacks):
    document = Document(
        owner=person, document_type="resume", original_name="cv.pdf", content_type="application/pdf", size=15
    )
    document.file.save("cv.pdf", ContentFile(b"%PDF-1.4 resume"), save=True)
    path = document.file.path
    delete_account(person)

    with django_capture_on_commit_callbacks(execute=True):
        accounts_erase_due(now=timezone.now() + timedelta(days=settings.KAZI_ACCOUNT_DELETION_GRACE_DAYS + 1))

    assert not os.path.exists(path)


def test_an_active_account_is_never_erased(person, everywhere):
    assert accounts_erase_due(now=timezone.now() + timedelta(days=3650)) == 0
    assert User.objects.get(pk=person.pk).is_active


def test_the_erased_person_can_no_longer_sign_in_or_refresh(person):
    tokens = APIClient().post("/api/auth/token/", {"email": person.email, "password": PASSWORD}).data
    delete_account(person)
    accounts_erase_due(now=timezone.now() + timedelta(days=365))
    assert APIClient().post("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}).status_code == 401
    assert APIClient().post("/api/auth/token/", {"email": person.email, "password": PASSWORD}).status_code == 401


def test_other_people_s_events_about_the_person_name_a_deleted_user(settings, django_capture_on_commit_callbacks):
    recruiter = factories.RecruiterFactory(first_name="Wanjiku", last_name="Kamau")
    seeker = factories.SeekerFactory(first_name="Amina", last_name="Wanjiru")
    job = factories.JobFactory(company=recruiter.company, title="Backend Engineer")
    with django_capture_on_commit_callbacks(execute=True):
        marketplace_services.application_create(job=job, candidate=seeker, cover_letter="Hello")
        conversation, _ = chat_services.conversation_start_direct(initiator=recruiter, other=seeker)
        chat_services.message_send(conversation=conversation, sender=seeker, content="Thank you!")
    about_her = Notification.objects.filter(recipient=recruiter)
    assert any("Amina Wanjiru" in n.message for n in about_her)
    delete_account(seeker)

    accounts_erase_due(now=timezone.now() + timedelta(days=settings.KAZI_ACCOUNT_DELETION_GRACE_DAYS + 1))

    kept = list(Notification.objects.filter(recipient=recruiter))
    assert {n.event_type for n in kept} >= {"application_received", "new_message"}
    for notification in kept:
        text = json.dumps([notification.title, notification.message, notification.data])
        assert "Amina" not in text and f'"{seeker.pk}"' not in text, text
    received = next(n for n in kept if n.event_type == "application_received")
    assert received.message == "New application received from Deleted user for Backend Engineer"
    # Over REST the recruiter's notification list still works and shows it.
    listed = client_for(recruiter).get("/api/notifications/")
    assert listed.status_code == 200 and listed.data["results"]
