"""ws/interviews/{id}/ through Channels' WebsocketCommunicator, on real PostgreSQL and Redis."""

import asyncio
import json
import uuid
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from config.asgi import application as asgi_application
from interviews import services
from interviews.choices import InterviewStatus
from interviews.models import Attendance, ConnectionQualityReport, Interview
from notifications import hub as hub_module
from notifications.status import socket_status
from tests import factories
from tests.conftest import client_for
from tests.interviews.helpers import book, soon, url

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _own_channels_and_hub(settings):
    # Other test runs may share this Redis: a prefix of our own keeps their rooms and ours apart.
    settings.KAZI_REALTIME_PREFIX = f"test-{uuid.uuid4().hex[:12]}."
    yield
    await hub_module.close_hub()


@pytest.fixture
def interview(hiring_manager, application):
    """Starts in 5 minutes: the room is open (from 15 minutes before the start)."""
    return book(application, by=hiring_manager, start=soon(5), now=timezone.now())


@pytest.fixture
def panel_interview(hiring_manager, colleague, application):
    return book(application, by=hiring_manager, start=soon(5), panel=[hiring_manager, colleague], now=timezone.now())


def path_of(interview_id: int, user=None, token: str | None = None) -> str:
    if user is not None:
        token = str(AccessToken.for_user(user))
    return f"/ws/interviews/{interview_id}/" + (f"?token={token}" if token else "")


async def open_socket(interview_id: int, user=None, *, token=None, headers=None) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(asgi_application, path_of(interview_id, user, token), headers=headers or [])
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    return communicator


async def receive(communicator, timeout: float = 3) -> dict:
    return json.loads(await communicator.receive_from(timeout=timeout))


async def send(communicator, message) -> None:
    await communicator.send_to(text_data=message if isinstance(message, str) else json.dumps(message))


async def enter(interview, user) -> tuple[WebsocketCommunicator, dict]:
    """Open the room's socket for a participant; returns it and its `peers` message."""
    communicator = await open_socket(interview.pk, user)
    peers = await receive(communicator)
    assert peers["type"] == "peers", peers
    return communicator, peers


async def closed_with(communicator) -> int:
    output = await communicator.receive_output(timeout=3)
    while output["type"] != "websocket.close":
        output = await communicator.receive_output(timeout=3)
    return output.get("code")


async def nothing_arrives(communicator, timeout: float = 0.5) -> bool:
    return await communicator.receive_nothing(timeout=timeout)


def entry(user, role: str) -> dict:
    return {"user_id": str(user.pk), "role": role, "name": user.full_name}


OFFER_SDP = "v=0\r\no=- 46117317 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"


# --- who may connect ----------------------------------------------------------------------
async def test_no_credentials_closes_4001(interview):
    communicator = await open_socket(interview.pk)
    assert await closed_with(communicator) == 4001


async def test_a_string_that_is_not_a_jwt_closes_4003(interview):
    communicator = await open_socket(interview.pk, token="not-a-jwt")
    assert await closed_with(communicator) == 4003


async def test_someone_not_on_the_interview_is_told_and_closed_4403(interview, colleague, rival):
    # A colleague of the same company can see the interview over REST, but is not on its panel.
    for outsider in (colleague, rival, await database_sync_to_async(factories.SeekerFactory)()):
        communicator = await open_socket(interview.pk, outsider)
        error = await receive(communicator)
        assert error["type"] == "error"
        assert error["message"] == "You are not a participant of this interview."
        assert await closed_with(communicator) == 4403


async def test_an_interview_that_does_not_exist_looks_the_same_as_someone_elses(candidate):
    communicator = await open_socket(987654, candidate)
    assert (await receive(communicator))["type"] == "error"
    assert await closed_with(communicator) == 4403


async def test_before_the_room_opens_a_clear_error_then_a_close(hiring_manager, candidate, application):
    interview = await database_sync_to_async(book)(application, by=hiring_manager, start=soon(60), now=timezone.now())
    communicator = await open_socket(interview.pk, candidate)
    error = await receive(communicator)
    assert error["type"] == "error"
    assert error["message"].startswith("The interview room opens 15 minutes before the start, at ")
    assert await closed_with(communicator) == 4409


async def test_after_the_end_a_clear_error_then_a_close(hiring_manager, candidate, application):
    now = timezone.now()
    interview = await database_sync_to_async(book)(
        application, by=hiring_manager, start=soon(-120), minutes=60, now=now - timedelta(hours=3)
    )
    communicator = await open_socket(interview.pk, candidate)
    error = await receive(communicator)
    assert "ended at" in error["message"] and "can no longer be joined" in error["message"]
    assert await closed_with(communicator) == 4409


async def test_a_cancelled_interview_cannot_be_entered(interview, candidate):
    await Interview.objects.filter(pk=interview.pk).aupdate(status=InterviewStatus.CANCELLED)
    communicator = await open_socket(interview.pk, candidate)
    assert (await receive(communicator))["message"] == "This interview is cancelled: it can no longer be joined."
    # A page whose socket opens just after the cancel (a declined call) learns how the room ended, as those inside did.
    closed = await receive(communicator)
    assert (closed["type"], closed["status"], closed["interview_id"]) == ("room_closed", "cancelled", str(interview.pk))
    assert await closed_with(communicator) == 4409


async def test_the_session_cookie_of_a_logged_in_page_authenticates(interview, candidate):
    @database_sync_to_async
    def session_key():
        session = SessionStore()
        session[SESSION_KEY] = str(candidate.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = candidate.get_session_auth_hash()
        session.create()
        return session.session_key

    cookie = f"sessionid={await session_key()}".encode()
    communicator = await open_socket(interview.pk, headers=[(b"cookie", cookie)])
    peers = await receive(communicator)
    assert peers["type"] == "peers"
    assert peers["you"] == entry(candidate, "candidate")
    await communicator.disconnect()


# --- who is in the room ---------------------------------------------------------------------
async def test_peers_lists_who_is_already_there_and_the_others_hear_of_the_newcomer(
    interview, candidate, hiring_manager
):
    candidate_socket, candidate_peers = await enter(interview, candidate)
    assert candidate_peers["peers"] == []
    assert candidate_peers["you"] == entry(candidate, "candidate")
    assert candidate_peers["interview_id"] == str(interview.pk)

    recruiter_socket, recruiter_peers = await enter(interview, hiring_manager)
    assert recruiter_peers["peers"] == [
        {**entry(candidate, "candidate"), "connection_ids": [candidate_peers["connection_id"]]}
    ]

    joined = await receive(candidate_socket)
    assert joined["type"] == "participant_joined"
    assert {key: joined[key] for key in ("user_id", "role", "name")} == entry(hiring_manager, "interviewer")
    assert joined["connection_id"] == recruiter_peers["connection_id"]
    assert "timestamp" in joined
    # Nobody hears about themselves.
    assert await nothing_arrives(recruiter_socket)

    await recruiter_socket.disconnect()
    left = await receive(candidate_socket)
    assert left["type"] == "participant_left"
    assert left["user_id"] == str(hiring_manager.pk)
    await candidate_socket.disconnect()


async def test_a_second_tab_of_the_same_person_keeps_them_in_the_room(interview, candidate, hiring_manager):
    candidate_socket, candidate_peers = await enter(interview, candidate)
    first_tab, first_peers = await enter(interview, hiring_manager)
    assert (await receive(candidate_socket))["type"] == "participant_joined"
    second_tab, peers = await enter(interview, hiring_manager)
    assert peers["peers"] == [{**entry(candidate, "candidate"), "connection_ids": [candidate_peers["connection_id"]]}]
    # A new connection of a known peer is news: its old peer connection is gone.
    rejoined = await receive(candidate_socket)
    assert rejoined["type"] == "participant_joined" and rejoined["connection_id"] == peers["connection_id"]
    assert rejoined["connection_id"] != first_peers["connection_id"]

    await first_tab.disconnect()
    assert await nothing_arrives(candidate_socket), "the recruiter is still there in the other tab"
    await second_tab.disconnect()
    assert (await receive(candidate_socket))["type"] == "participant_left"
    await candidate_socket.disconnect()


async def test_a_dropped_socket_does_not_leave_or_complete_the_interview(interview, candidate, hiring_manager):
    for user in (candidate, hiring_manager):
        response = await database_sync_to_async(client_for(user).post)(url(interview, "join/"))
        assert response.status_code == 200
    candidate_socket, _ = await enter(interview, candidate)
    recruiter_socket, _ = await enter(interview, hiring_manager)
    await recruiter_socket.disconnect()
    await candidate_socket.disconnect()

    await interview.arefresh_from_db()
    assert interview.status == InterviewStatus.IN_PROGRESS
    assert await Attendance.objects.filter(interview=interview, left_at__isnull=True).acount() == 2


# --- relay ----------------------------------------------------------------------------------
async def test_an_offer_to_one_peer_reaches_only_that_peer(panel_interview, candidate, hiring_manager, colleague):
    candidate_socket, _ = await enter(panel_interview, candidate)
    manager_socket, manager_peers = await enter(panel_interview, hiring_manager)
    colleague_socket, _ = await enter(panel_interview, colleague)
    for socket in (candidate_socket, candidate_socket, manager_socket):
        assert (await receive(socket))["type"] == "participant_joined"

    await send(manager_socket, {"type": "offer", "to": str(candidate.pk), "sdp": OFFER_SDP})

    offer = await receive(candidate_socket)
    assert offer["type"] == "offer"
    assert offer["sdp"] == OFFER_SDP
    assert offer["from"] == str(hiring_manager.pk)
    assert offer["to"] == str(candidate.pk)
    assert offer["connection_id"] == manager_peers["connection_id"]
    assert await nothing_arrives(colleague_socket)
    assert await nothing_arrives(manager_socket)

    # The answer goes back the same way; a numeric `to` is accepted too.
    await send(candidate_socket, {"type": "answer", "to": hiring_manager.pk, "sdp": "v=0\r\nanswer"})
    answer = await receive(manager_socket)
    assert (answer["type"], answer["from"], answer["sdp"]) == ("answer", str(candidate.pk), "v=0\r\nanswer")
    assert await nothing_arrives(colleague_socket)
    for socket in (candidate_socket, manager_socket, colleague_socket):
        await socket.disconnect()


async def test_a_message_without_to_reaches_every_other_participant(
    panel_interview, candidate, hiring_manager, colleague
):
    candidate_socket, _ = await enter(panel_interview, candidate)
    manager_socket, _ = await enter(panel_interview, hiring_manager)
    colleague_socket, _ = await enter(panel_interview, colleague)
    for socket in (candidate_socket, candidate_socket, manager_socket):
        assert (await receive(socket))["type"] == "participant_joined"
    candidate_json = {"candidate": "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", "sdpMid": "0"}

    await send(candidate_socket, {"type": "ice_candidate", "candidate": candidate_json})

    for socket in (manager_socket, colleague_socket):
        relayed = await receive(socket)
        assert relayed["type"] == "ice_candidate"
        assert relayed["candidate"] == candidate_json
        assert relayed["from"] == str(candidate.pk)
        assert "to" not in relayed
    assert await nothing_arrives(candidate_socket)
    # The end of gathering (null) is relayed too.
    await send(candidate_socket, {"type": "ice_candidate", "to": str(colleague.pk), "candidate": None})
    assert (await receive(colleague_socket))["candidate"] is None
    for socket in (candidate_socket, manager_socket, colleague_socket):
        await socket.disconnect()


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ({"type": "offer", "to": "SELF", "sdp": "v=0"}, "`to` names yourself: send to another participant."),
        ({"type": "offer", "to": "424242", "sdp": "v=0"}, "No participant 424242 in this interview."),
        ({"type": "offer", "to": "abc", "sdp": "v=0"}, "`to` must be a participant's user id."),
        ({"type": "answer", "sdp": ""}, "Missing field: sdp (the session description text)"),
        ({"type": "ice_candidate"}, "Missing field: candidate"),
        ({"type": "ice_candidate", "candidate": "a string"}, "Missing field: candidate"),
        ({"type": "dance"}, "Unknown message type: dance"),
        ([1, 2], "A message must be a JSON object with a `type`."),
        ({"sdp": "v=0"}, "Missing field: type"),
        ("{not json", "Invalid JSON format"),
    ],
)
async def test_bad_messages_get_an_error_and_the_socket_stays_open(interview, candidate, message, error):
    socket, _ = await enter(interview, candidate)
    if isinstance(message, dict) and message.get("to") == "SELF":
        message = {**message, "to": str(candidate.pk)}
    await send(socket, message if isinstance(message, str) else json.dumps(message))
    reply = await receive(socket)
    assert reply["type"] == "error"
    assert reply["message"].startswith(error)
    await send(socket, {"type": "ping"})
    assert (await receive(socket))["type"] == "pong"
    await socket.disconnect()


# --- limits ---------------------------------------------------------------------------------
async def test_an_oversized_frame_is_refused_and_the_fourth_closes_1009(settings, interview, candidate, hiring_manager):
    settings.KAZI_WS_MAX_FRAME_BYTES = 4096
    candidate_socket, _ = await enter(interview, candidate)
    recruiter_socket, _ = await enter(interview, hiring_manager)
    assert (await receive(candidate_socket))["type"] == "participant_joined"
    big = {"type": "offer", "to": str(candidate.pk), "sdp": "x" * 5000}

    await send(recruiter_socket, big)
    error = await receive(recruiter_socket)
    assert error == {
        "type": "error",
        "message": "Frame too large: the limit is 4096 bytes.",
        "timestamp": error["timestamp"],
    }
    assert await nothing_arrives(candidate_socket), "an oversized offer is not relayed"
    for _ in range(2):
        await send(recruiter_socket, big)
        assert (await receive(recruiter_socket))["type"] == "error"
    await send(recruiter_socket, big)
    assert await closed_with(recruiter_socket) == 1009
    await candidate_socket.disconnect()


async def test_too_many_frames_a_second_are_dropped_with_an_error_then_a_flood_closes_4029(
    settings, interview, candidate
):
    settings.KAZI_WS_MAX_FRAMES_PER_SECOND = 5
    socket, _ = await enter(interview, candidate)
    for _ in range(5):
        await send(socket, {"type": "ping"})
    for _ in range(5):
        assert (await receive(socket))["type"] == "pong"
    await send(socket, {"type": "ping"})
    error = await receive(socket)
    assert error["message"] == "Too many messages: at most 5 a second. Slow down."
    for _ in range(4):
        await send(socket, {"type": "ping"})
    assert await nothing_arrives(socket, timeout=0.2), "frames over the limit are dropped"
    await send(socket, {"type": "ping"})
    assert await closed_with(socket) == 4029


# --- connection quality ---------------------------------------------------------------------
async def test_connection_quality_reports_are_stored_per_participant(interview, candidate, hiring_manager):
    candidate_socket, _ = await enter(interview, candidate)
    recruiter_socket, _ = await enter(interview, hiring_manager)

    await send(
        candidate_socket,
        {
            "type": "connection_quality",
            "round_trip_ms": 320,
            "jitter_ms": 12.5,
            "packet_loss_percent": 1.0,
            "bitrate_kbps": 850,
            "frames_decoded": 1200,
        },
    )
    await send(recruiter_socket, {"type": "connection_quality", "stats": {"round_trip_ms": 40, "jitter_ms": 2}})

    assert (await receive(candidate_socket))["type"] == "participant_joined"
    recorded = await receive(candidate_socket)
    assert (recorded["type"], recorded["quality"]) == ("connection_quality_recorded", "fair")
    assert (await receive(recruiter_socket))["quality"] == "excellent"
    reports = [report async for report in ConnectionQualityReport.objects.filter(interview=interview).order_by("id")]
    by_user = {report.user_id: report for report in reports}
    assert set(by_user) == {candidate.pk, hiring_manager.pk}
    mine = by_user[candidate.pk]
    assert (mine.quality, mine.round_trip_ms, mine.jitter_ms, mine.packet_loss_percent, mine.bitrate_kbps) == (
        "fair",
        320.0,
        12.5,
        1.0,
        850.0,
    )
    assert mine.raw == {"frames_decoded": 1200}
    assert by_user[hiring_manager.pk].quality == "excellent"
    # Reports are not relayed to the other participant.
    assert await nothing_arrives(recruiter_socket)

    await send(candidate_socket, {"type": "connection_quality", "round_trip_ms": 10})
    too_soon = await receive(candidate_socket)
    assert too_soon["message"] == "Connection reports are kept at most every 2 seconds."
    await candidate_socket.disconnect()
    await recruiter_socket.disconnect()


async def test_a_bad_connection_report_is_refused_with_the_reason(interview, candidate):
    socket, _ = await enter(interview, candidate)
    await send(socket, {"type": "connection_quality", "round_trip_ms": -5, "packet_loss_percent": 140})
    error = await receive(socket)
    assert error["type"] == "error"
    assert "round_trip_ms must be a non-negative number." in error["message"]
    assert "packet_loss_percent must be at most 100." in error["message"]
    assert await ConnectionQualityReport.objects.filter(interview=interview).acount() == 0
    await socket.disconnect()


async def test_a_page_session_id_is_relayed_so_peers_can_tell_a_reloaded_page(interview, candidate, hiring_manager):
    candidate_socket, _ = await enter(interview, candidate)
    recruiter_socket, _ = await enter(interview, hiring_manager)
    assert (await receive(candidate_socket))["type"] == "participant_joined"

    await send(recruiter_socket, {"type": "offer", "sdp": "v=0", "session": "3f9a0c-2"})
    assert (await receive(candidate_socket))["session"] == "3f9a0c-2"
    await send(recruiter_socket, {"type": "offer", "sdp": "v=0", "session": "not valid!"})
    error = await receive(recruiter_socket)
    assert error["message"] == "`session` must be 1 to 64 letters, digits, '-' or '_'."
    await candidate_socket.disconnect()
    await recruiter_socket.disconnect()


async def test_hello_asks_the_other_side_for_an_offer_and_carries_only_the_session(
    interview, candidate, hiring_manager
):
    candidate_socket, _ = await enter(interview, candidate)
    recruiter_socket, _ = await enter(interview, hiring_manager)
    assert (await receive(candidate_socket))["type"] == "participant_joined"

    await send(recruiter_socket, {"type": "hello", "to": str(candidate.pk), "session": "3f9a0c-1", "sdp": "x"})
    hello = await receive(candidate_socket)
    assert {key: hello[key] for key in ("type", "from", "to", "session")} == {
        "type": "hello",
        "from": str(hiring_manager.pk),
        "to": str(candidate.pk),
        "session": "3f9a0c-1",
    }
    assert "sdp" not in hello and "candidate" not in hello
    await candidate_socket.disconnect()
    await recruiter_socket.disconnect()


async def test_cancelling_closes_every_socket_of_the_room_with_4410(interview, candidate, hiring_manager):
    candidate_socket, _ = await enter(interview, candidate)
    recruiter_socket, _ = await enter(interview, hiring_manager)
    assert (await receive(candidate_socket))["type"] == "participant_joined"

    await database_sync_to_async(services.interview_cancel)(interview=interview, actor=candidate, reason="Ill")

    for socket in (candidate_socket, recruiter_socket):
        closed = await receive(socket)
        assert (closed["type"], closed["status"], closed["interview_id"]) == (
            "room_closed",
            "cancelled",
            str(interview.pk),
        )
        assert await closed_with(socket) == 4410


async def test_the_recruiter_ending_it_closes_the_room_with_4410_and_nobody_enters_again(
    interview, candidate, hiring_manager
):
    await database_sync_to_async(services.interview_join)(interview=interview, user=candidate)
    candidate_socket, _ = await enter(interview, candidate)

    await database_sync_to_async(services.interview_end)(interview=interview, actor=hiring_manager)

    assert (await receive(candidate_socket))["status"] == "completed"
    assert await closed_with(candidate_socket) == 4410
    again = await open_socket(interview.pk, candidate)
    assert (await receive(again))["message"] == "This interview is completed: it can no longer be joined."
    assert (await receive(again))["status"] == "completed"
    assert await closed_with(again) == 4409


async def test_room_sockets_count_in_ws_status(interview, candidate, hiring_manager):
    async def figures(expected: dict) -> dict:
        for _ in range(50):
            status = await asyncio.to_thread(socket_status)
            if {key: status[key] for key in expected} == expected:
                return status
            await asyncio.sleep(0.1)
        raise AssertionError(f"/ws/status/ never showed {expected}: {status}")

    candidate_socket, _ = await enter(interview, candidate)
    recruiter_socket, _ = await enter(interview, hiring_manager)
    await figures(
        {"interview_connections": 2, "interviews": {str(interview.pk): 2}, "active_connections": 2, "active_users": 2}
    )
    await recruiter_socket.disconnect()
    await figures({"interview_connections": 1, "interviews": {str(interview.pk): 1}, "active_connections": 1})
    await candidate_socket.disconnect()
