"""ws/interviews/{id}/ across processes: a recruiter on one daphne, the candidate on another."""

import asyncio
import json

import pytest
import websockets
from django.conf import settings
from django.utils import timezone

from tests import factories
from tests.e2e.conftest import token
from tests.e2e.servers import Daphne, server_env
from tests.interviews.helpers import book, shortlisted, soon

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SDP_OFFER = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
SDP_ANSWER = "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n"


@pytest.fixture
def web_processes(transactional_db, tmp_path):
    """Two daphne processes on the test database and the configured Redis (no worker: none is needed)."""
    env = server_env(settings.REDIS_URL)
    started = []
    try:
        started.append(Daphne("web-a", env, tmp_path, wait=False))
        started.append(Daphne("web-b", env, tmp_path, wait=False))
        for web in started:
            web.wait_healthy()
        yield started
    finally:
        for process in started:
            process.stop()


def booked_interview():
    recruiter = factories.RecruiterFactory(first_name="Hawa", last_name="Manager")
    job = factories.JobFactory(company=recruiter.company, posted_by=recruiter)
    candidate = factories.SeekerFactory(first_name="Amina", last_name="Wanjiru")
    interview = book(shortlisted(job, candidate), by=recruiter, start=soon(5), now=timezone.now())
    return interview, recruiter, candidate


async def enter(server, interview, user):
    socket = await websockets.connect(f"{server.ws}/ws/interviews/{interview.pk}/?token={token(user)}", open_timeout=10)
    peers = await receive(socket)
    assert peers["type"] == "peers", peers
    return socket, peers


async def receive(socket, timeout: float = 10) -> dict:
    return json.loads(await asyncio.wait_for(socket.recv(), timeout))


async def test_offer_answer_and_candidates_cross_between_two_daphne_processes(web_processes):
    server_a, server_b = web_processes
    interview, recruiter, candidate = await asyncio.to_thread(booked_interview)

    recruiter_socket, recruiter_peers = await enter(server_a, interview, recruiter)
    assert recruiter_peers["peers"] == []
    candidate_socket, candidate_peers = await enter(server_b, interview, candidate)
    # Presence is shared: the candidate on B sees the recruiter who is on A.
    assert candidate_peers["peers"] == [
        {
            "user_id": str(recruiter.pk),
            "role": "interviewer",
            "name": "Hawa Manager",
            "connection_ids": [recruiter_peers["connection_id"]],
        }
    ]
    joined = await receive(recruiter_socket)
    assert (joined["type"], joined["user_id"], joined["role"]) == ("participant_joined", str(candidate.pk), "candidate")

    await candidate_socket.send(json.dumps({"type": "offer", "to": str(recruiter.pk), "sdp": SDP_OFFER}))
    offer = await receive(recruiter_socket)
    assert (offer["type"], offer["from"], offer["sdp"]) == ("offer", str(candidate.pk), SDP_OFFER)
    assert offer["connection_id"] == candidate_peers["connection_id"]

    await recruiter_socket.send(json.dumps({"type": "answer", "to": str(candidate.pk), "sdp": SDP_ANSWER}))
    answer = await receive(candidate_socket)
    assert (answer["type"], answer["from"], answer["sdp"]) == ("answer", str(recruiter.pk), SDP_ANSWER)

    ice = {"candidate": "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", "sdpMid": "0", "sdpMLineIndex": 0}
    await recruiter_socket.send(json.dumps({"type": "ice_candidate", "candidate": ice}))  # no `to`: every peer
    relayed = await receive(candidate_socket)
    assert (relayed["type"], relayed["from"], relayed["candidate"]) == ("ice_candidate", str(recruiter.pk), ice)
    await candidate_socket.send(json.dumps({"type": "ice_candidate", "to": str(recruiter.pk), "candidate": None}))
    end_of_candidates = await receive(recruiter_socket)
    assert (end_of_candidates["type"], end_of_candidates["candidate"]) == ("ice_candidate", None)

    await candidate_socket.close()
    left = await receive(recruiter_socket)
    assert (left["type"], left["user_id"]) == ("participant_left", str(candidate.pk))
    await recruiter_socket.close()
