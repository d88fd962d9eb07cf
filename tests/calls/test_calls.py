"""Calls from chat over REST: POST /api/chat/conversations/{id}/call/, and the call's life in the room's API."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from chat import services as chat_services
from chat.models import Message
from interviews import services
from interviews.choices import InterviewKind, InterviewStatus
from interviews.models import Interview
from notifications.models import Notification
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiter(db):
    return factories.RecruiterFactory(first_name="Hawa", last_name="Manager")


@pytest.fixture
def seeker(db):
    return factories.SeekerFactory(first_name="Amina", last_name="Wanjiru")


@pytest.fixture
def conversation(recruiter, seeker):
    conversation, _ = chat_services.conversation_start_direct(initiator=recruiter, other=seeker)
    return conversation


def call_url(conversation) -> str:
    return f"/api/chat/conversations/{conversation.pk}/call/"


def notes(conversation) -> list[tuple[int, str]]:
    return list(
        Message.objects.filter(conversation=conversation).order_by("created_at").values_list("sender", "content")
    )


def test_a_call_rings_the_other_person_and_a_second_press_joins_the_same_call(recruiter, seeker, conversation):
    response = client_for(recruiter).post(call_url(conversation))

    assert response.status_code == 201, response.data
    call = Interview.objects.get(pk=response.data["interview_id"])
    assert response.data == {"interview_id": call.pk, "room_url": f"/interview/{call.pk}/"}
    assert (call.kind, call.status, call.application_id, call.job_id) == (
        InterviewKind.CALL,
        InterviewStatus.SCHEDULED,
        None,
        None,
    )
    [ring] = Notification.objects.filter(event_type="call_incoming")
    assert ring.recipient_id == seeker.pk
    assert ring.data["interview_id"] == str(call.pk)
    assert ring.data["conversation_id"] == str(conversation.pk)
    assert ring.data["caller"] == {"id": str(recruiter.pk), "name": "Hawa Manager"}
    assert ring.data["room_url"] == f"/interview/{call.pk}/"

    again = client_for(seeker).post(call_url(conversation))
    assert (again.status_code, again.data["interview_id"]) == (200, call.pk)
    assert Notification.objects.filter(event_type="call_incoming").count() == 1


def test_only_participants_call_and_only_in_direct_conversations(recruiter, seeker, conversation):
    outsider = factories.SeekerFactory()
    assert client_for(outsider).post(call_url(conversation)).status_code == 404
    assert client_for(factories.AdminFactory()).post(call_url(conversation)).status_code == 404
    assert APIClient().post(call_url(conversation)).status_code == 401
    group = chat_services.conversation_start_group(initiator=recruiter, others=[seeker, factories.SeekerFactory()])
    response = client_for(recruiter).post(call_url(group))
    assert (response.status_code, response.data["detail"]) == (400, "Video calls are for direct conversations only.")
    assert not Interview.objects.exists()


def test_declining_leaves_missed_call_and_closes_the_call(recruiter, seeker, conversation):
    call_id = client_for(recruiter).post(call_url(conversation)).data["interview_id"]

    assert client_for(factories.SeekerFactory()).post(f"/api/interview/{call_id}/decline/").status_code == 404
    response = client_for(seeker).post(f"/api/interview/{call_id}/decline/")

    assert response.status_code == 200, response.data
    assert response.data["status"] == InterviewStatus.CANCELLED
    assert notes(conversation) == [(recruiter.pk, "missed call")]
    again = client_for(seeker).post(f"/api/interview/{call_id}/decline/")
    assert (again.status_code, again.data["detail"]) == (400, "This call is cancelled: it no longer rings.")
    # The caller's page that loaded before the decline learns from its refused join that the call is over.
    refused = client_for(recruiter).post(f"/api/interview/{call_id}/join/")
    assert (refused.status_code, refused.data) == (
        400,
        {"detail": "This interview is cancelled: it can no longer be joined.", "status": "cancelled"},
    )


def test_an_answered_call_that_both_leave_leaves_its_length(recruiter, seeker, conversation):
    call = Interview.objects.get(pk=client_for(recruiter).post(call_url(conversation)).data["interview_id"])
    start = call.scheduled_at

    services.interview_join(interview=call, user=recruiter, now=start)
    call.refresh_from_db()
    assert call.status == InterviewStatus.SCHEDULED  # still ringing: the caller alone is in
    services.interview_join(interview=call, user=seeker, now=start + timedelta(seconds=10))
    call.refresh_from_db()
    assert call.status == InterviewStatus.IN_PROGRESS
    services.interview_leave(interview=call, user=seeker, now=start + timedelta(minutes=12))
    call.refresh_from_db()
    assert call.status == InterviewStatus.IN_PROGRESS  # one still on the line
    services.interview_leave(interview=call, user=recruiter, now=start + timedelta(minutes=12, seconds=10))

    call.refresh_from_db()
    assert call.status == InterviewStatus.COMPLETED
    assert notes(conversation) == [(recruiter.pk, "call, 12 min")]


def test_either_side_ends_a_call_and_interview_readers_never_see_it(recruiter, seeker, conversation):
    call_id = client_for(recruiter).post(call_url(conversation)).data["interview_id"]
    client_for(recruiter).post(f"/api/interview/{call_id}/join/")
    client_for(seeker).post(f"/api/interview/{call_id}/join/")

    # A call is not an interview: not listed, not readable, not cancellable, no calendar.
    assert client_for(recruiter).get("/api/interview/").data["count"] == 0
    assert client_for(seeker).get(f"/api/interview/{call_id}/").status_code == 404
    assert client_for(seeker).post(f"/api/interview/{call_id}/cancel/").status_code == 404
    assert client_for(seeker).get(f"/api/interview/{call_id}/calendar.ics").status_code == 404

    response = client_for(seeker).post(f"/api/interview/{call_id}/end/")
    assert response.status_code == 200, response.data
    assert response.data["status"] == InterviewStatus.COMPLETED
    assert notes(conversation) == [(recruiter.pk, "call, 1 min")]


def test_a_call_nobody_answers_in_time_is_missed(settings, recruiter, seeker, conversation):
    settings.KAZI_CALL_RING_SECONDS = 45
    call = Interview.objects.get(pk=client_for(recruiter).post(call_url(conversation)).data["interview_id"])
    late = call.scheduled_at + timedelta(seconds=46)

    with pytest.raises(Exception, match="not answered in time"):
        services.interview_join(interview=call, user=seeker, now=late)
    assert services.calls_close_stale(now=call.scheduled_at + timedelta(seconds=30)) == 0
    assert services.calls_close_stale(now=late) == 1

    call.refresh_from_db()
    assert (call.status, call.cancel_reason) == (InterviewStatus.CANCELLED, "missed")
    assert notes(conversation) == [(recruiter.pk, "missed call")]
    # Its rows hold no time: the same people can still be booked for that moment.
    assert not call.participant_rows.filter(active=True).exists()
    assert services.interviews_close_stale(now=timezone.now() + timedelta(days=1)) == {"no_show": 0, "completed": 0}
