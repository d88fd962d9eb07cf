"""Editing a sent message: the sender only, within KAZI_CHAT_EDIT_MINUTES; the others see it live, the list
and replays show the new text marked edited, and search finds the new words, not the old ones."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chat.models import Message
from notifications import groups
from notifications.models import Notification
from tests import factories
from tests.chat.helpers import direct, message_url, messages_url, sent
from tests.conftest import client_for
from tests.notifications.redis_listener import frame

pytestmark = pytest.mark.django_db


def edit(client, conversation, message_id, content):
    return client.patch(message_url(conversation, message_id), {"content": content}, format="json")


def search(client, q: str) -> list[str]:
    response = client.get("/api/chat/search/", {"q": q})
    assert response.status_code == 200, response.content
    return [row["message"]["id"] for row in response.data["results"]]


def test_the_sender_edits_and_everyone_reads_the_new_text_marked_edited(recruiter_client, seeker_client, conversation):
    message = sent(recruiter_client, conversation, "The interview is on Tuesday")

    response = edit(
        recruiter_client, conversation, message["id"], "The interview is on <b>Thursday</b><script>x</script>"
    )

    assert response.status_code == 200, response.content
    assert response.data["content"] == "The interview is on <b>Thursday</b>"
    assert response.data["edited_at"] is not None
    [shown] = seeker_client.get(messages_url(conversation)).data["results"]
    assert shown["content"] == "The interview is on <b>Thursday</b>"
    assert shown["edited_at"] == response.data["edited_at"]


def test_search_finds_the_edited_words_and_no_longer_the_old_ones(recruiter_client, seeker_client, conversation):
    message = sent(recruiter_client, conversation, "Bring your passport")
    assert search(seeker_client, "passport") == [message["id"]]

    assert edit(recruiter_client, conversation, message["id"], "Bring your portfolio").status_code == 200

    assert search(seeker_client, "passport") == []
    assert search(seeker_client, "portfolio") == [message["id"]]


def test_only_the_author_edits(recruiter_client, seeker_client, outsider_client, conversation):
    message = sent(recruiter_client, conversation, "Original words")

    by_other = edit(seeker_client, conversation, message["id"], "Forged words")
    by_outsider = edit(outsider_client, conversation, message["id"], "Forged words")

    assert by_other.status_code == 403
    assert by_other.data["detail"] == "Only the sender can edit a message."
    assert by_outsider.status_code == 404  # not theirs: it does not exist for them
    assert Message.objects.get(pk=message["id"]).content == "Original words"


def test_after_the_window_an_edit_is_a_clear_400(recruiter_client, conversation, settings):
    settings.KAZI_CHAT_EDIT_MINUTES = 15
    message = sent(recruiter_client, conversation, "Sent a while ago")
    Message.objects.filter(pk=message["id"]).update(created_at=timezone.now() - timedelta(minutes=16))

    response = edit(recruiter_client, conversation, message["id"], "Too late")

    assert response.status_code == 400
    assert response.data == {"detail": "A message can only be edited in the 15 minutes after it was sent."}
    assert Message.objects.get(pk=message["id"]).content == "Sent a while ago"


def test_an_empty_edit_and_an_edit_of_a_deleted_message_are_400(recruiter_client, conversation):
    message = sent(recruiter_client, conversation, "Something")
    assert edit(recruiter_client, conversation, message["id"], "   ").status_code == 400
    assert recruiter_client.delete(message_url(conversation, message["id"])).status_code == 204

    response = edit(recruiter_client, conversation, message["id"], "Back from the dead")

    assert response.status_code == 400
    assert response.data == {"detail": "A deleted message cannot be edited."}


@pytest.mark.django_db(transaction=True)
def test_an_edit_is_pushed_to_every_participant_and_rewrites_the_stored_event(listener):
    recruiter, seeker, outsider = factories.RecruiterFactory(), factories.SeekerFactory(), factories.SeekerFactory()
    conversation = direct(recruiter, seeker)
    message = sent(client_for(recruiter), conversation, "Offer: 80k")
    listener.subscribe(*(groups.user_group(user.pk) for user in (recruiter, seeker, outsider)))

    assert edit(client_for(recruiter), conversation, message["id"], "Offer: 85k").status_code == 200

    received = [(group, frame(envelope)) for group, envelope in listener.received()]
    assert sorted(group for group, _ in received) == sorted(groups.user_group(u.pk) for u in (recruiter, seeker))
    for _, pushed in received:
        assert pushed["type"] == "message_edited"
        assert pushed["conversation_id"] == str(conversation.pk)
        assert pushed["message"]["id"] == message["id"]
        assert pushed["message"]["content"] == "Offer: 85k"
        assert pushed["message"]["edited_at"]
    stored = Notification.objects.get(recipient=seeker, event_type="new_message")
    assert stored.data["message"]["content"] == "Offer: 85k"  # what a replay or the list now shows
