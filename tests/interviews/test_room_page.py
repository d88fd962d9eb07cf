"""The interview room page /interview/{id}/: who may open it and what it hands its script."""

import json

import pytest
from django.utils import timezone

from interviews import services
from tests.interviews.helpers import book, soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def interview(hiring_manager, application):
    return book(application, by=hiring_manager, start=soon(5), now=timezone.now())


def room_url(interview) -> str:
    return f"/interview/{interview.pk}/"


def test_a_participant_gets_the_room_with_camera_controls_and_the_call_script(client, interview, candidate):
    client.force_login(candidate)
    response = client.get(room_url(interview))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-interview-id="{interview.pk}"' in html
    assert 'data-role="candidate"' in html
    for control in ("join-button", "toggle-mic", "toggle-camera", "share-screen", "leave-button", "local-video"):
        assert f'id="{control}"' in html
    assert "/static/kazi/interview-room.js" in html
    participants = json.loads(html.split('id="room-participants" type="application/json">')[1].split("</script>")[0])
    assert {person["role"] for person in participants} == {"candidate", "interviewer"}
    assert "Ready to join." in html


def test_before_the_window_the_page_says_when_the_room_opens(client, hiring_manager, application, candidate):
    later = book(application, by=hiring_manager, start=soon(120), now=timezone.now())
    client.force_login(candidate)
    html = client.get(room_url(later)).content.decode()
    assert "The interview room opens 15 minutes before the start" in html


def test_a_recruiter_who_is_not_on_the_panel_is_told_they_cannot_join(client, interview, colleague):
    client.force_login(colleague)
    response = client.get(room_url(interview))
    assert response.status_code == 403
    html = response.content.decode()
    assert "you are not one of its participants" in html
    assert "interview-room.js" not in html


def test_someone_elses_interview_is_not_found(client, interview, rival):
    client.force_login(rival)
    assert client.get(room_url(interview)).status_code == 404
    assert client.get("/interview/987654/").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, interview):
    response = client.get(room_url(interview))
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={room_url(interview)}"


def test_the_recruiter_has_end_interview_and_the_candidate_does_not(client, interview, hiring_manager, candidate):
    services.interview_join(interview=interview, user=candidate)
    client.force_login(hiring_manager)
    html = client.get(room_url(interview)).content.decode()
    assert 'id="end-button"' in html and "End interview" in html
    assert 'id="room-status">In progress<' in html
    client.force_login(candidate)
    assert 'id="end-button"' not in client.get(room_url(interview)).content.decode()


def test_an_ended_interview_shows_its_state_and_offers_no_join(client, interview, hiring_manager, candidate):
    services.interview_join(interview=interview, user=candidate)
    services.interview_end(interview=interview, actor=hiring_manager)
    client.force_login(candidate)
    html = client.get(room_url(interview)).content.decode()
    assert 'id="room-status">Completed<' in html
    assert "This interview is completed: it can no longer be joined." in html
    assert '<button type="button" id="join-button" class="button primary" hidden disabled>' in html
