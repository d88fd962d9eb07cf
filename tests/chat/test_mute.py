"""Muting one conversation: its messages still arrive and count as unread, but bring no toast (the frame says
`muted`), no bell and no mail."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import groups, mailing
from notifications.models import Notification
from tests import factories
from tests.chat.helpers import conversation_url, direct, listed, sent
from tests.conftest import client_for
from tests.notifications.redis_listener import frame

pytestmark = pytest.mark.django_db


def mute(client, conversation, muted: bool = True):
    return client.post(f"{conversation_url(conversation)}mute/", {"muted": muted}, format="json")


def test_muting_is_per_user_and_shown_in_the_list(recruiter_client, seeker_client, conversation):
    response = mute(seeker_client, conversation)

    assert response.status_code == 200 and response.data == {"muted": True}
    assert listed(seeker_client)[str(conversation.pk)]["muted"] is True
    assert listed(recruiter_client)[str(conversation.pk)]["muted"] is False
    assert mute(seeker_client, conversation, False).data == {"muted": False}
    assert listed(seeker_client)[str(conversation.pk)]["muted"] is False


def test_mute_needs_a_boolean_and_a_conversation_of_ones_own(seeker_client, outsider_client, conversation):
    assert mute(seeker_client, conversation, "sometimes").status_code == 400
    assert (
        outsider_client.post(f"{conversation_url(conversation)}mute/", {"muted": True}, format="json").status_code
        == 404
    )


@pytest.mark.django_db(transaction=True)
def test_a_muted_conversation_still_delivers_and_counts_unread_but_marks_the_frame_muted(listener):
    recruiter, seeker = factories.RecruiterFactory(), factories.SeekerFactory()
    conversation = direct(recruiter, seeker)
    assert mute(client_for(seeker), conversation).status_code == 200
    listener.subscribe(groups.user_group(seeker.pk), groups.user_group(recruiter.pk))

    sent(client_for(recruiter), conversation, "Are you free on Monday?")

    by_group = {g: frame(envelope) for g, envelope in listener.received()}
    to_seeker = by_group[groups.user_group(seeker.pk)]
    assert to_seeker["type"] == "new_message" and to_seeker["muted"] is True
    assert "muted" not in by_group[groups.user_group(recruiter.pk)]
    assert listed(client_for(seeker))[str(conversation.pk)]["unread_count"] == 1
    # No bell: the stored copy is read, and the bell's count does not grow.
    assert Notification.objects.get(recipient=seeker, event_type="new_message").is_read
    assert client_for(seeker).get("/api/notifications/unread-count/").data == {"count": 0}


def test_an_offline_member_of_a_muted_conversation_gets_no_notice_and_no_mail(
    smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    recruiter, muted_seeker, loud_seeker = (
        factories.RecruiterFactory(),
        factories.SeekerFactory(),
        factories.SeekerFactory(),
    )
    quiet, loud = direct(recruiter, muted_seeker), direct(recruiter, loud_seeker)
    mute(client_for(muted_seeker), quiet)

    with django_capture_on_commit_callbacks(execute=True):
        sent(client_for(recruiter), quiet, "Muted news")
        sent(client_for(recruiter), loud, "Loud news")
        mailing.digests_send(now=timezone.now() + timedelta(hours=1))

    recipients = [message["To"] for message in smtp_server.messages]
    assert recipients == [loud_seeker.email]  # the same message, unmuted, is mailed in the digest
    assert not Notification.objects.filter(recipient=muted_seeker, notification_type="message").exists()
    assert listed(client_for(muted_seeker))[str(quiet.pk)]["unread_count"] == 1
