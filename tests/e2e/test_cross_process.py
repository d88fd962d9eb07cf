"""Events reach a socket whichever process caused them: another daphne, or a Celery worker."""

import asyncio
import json

import httpx
import pytest

from notifications.tasks import notify_users
from tests import factories
from tests.e2e.conftest import next_event, open_socket, token
from tests.waiting import wait_until_async

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


async def test_job_opened_through_b_reaches_a_seeker_socket_on_a(servers):
    seeker = await asyncio.to_thread(factories.SeekerFactory)
    recruiter = await asyncio.to_thread(factories.RecruiterFactory)
    socket, _ = await open_socket(servers["a"], seeker)
    async with httpx.AsyncClient(base_url=servers["b"].http, timeout=10) as http:
        response = await http.post(
            "/api/jobs/",
            json={"title": "Platform Engineer", "status": "open", "skills_required": ["Python", "Redis"]},
            headers={"Authorization": f"Bearer {token(recruiter)}"},
        )
    assert response.status_code == 201, response.text
    event = await next_event(socket)
    assert event["type"] == "job_posted"
    assert event["job_id"] == str(response.json()["id"])
    assert event["message"] == f"New job posted: Platform Engineer at {recruiter.company.name}"
    assert event["data"] == {"skills_required": ["Python", "Redis"]}
    await socket.close()


async def test_application_through_b_reaches_the_recruiter_on_a(servers):
    recruiter = await asyncio.to_thread(factories.RecruiterFactory)
    job = await asyncio.to_thread(factories.JobFactory, company=recruiter.company)
    seeker = await asyncio.to_thread(factories.SeekerFactory)
    socket, _ = await open_socket(servers["a"], recruiter)
    async with httpx.AsyncClient(base_url=servers["b"].http, timeout=10) as http:
        response = await http.post(
            f"/api/jobs/{job.pk}/apply/",
            json={"cover_letter": "Hello"},
            headers={"Authorization": f"Bearer {token(seeker)}"},
        )
    assert response.status_code == 201, response.text
    event = await next_event(socket)
    assert event["type"] == "application_received"
    assert event["application_id"] == str(response.json()["id"])
    assert event["applicant_name"] == seeker.full_name
    await socket.close()


async def test_event_published_by_the_celery_worker_reaches_the_socket(servers):
    seeker = await asyncio.to_thread(factories.SeekerFactory)
    socket, _ = await open_socket(servers["a"], seeker)
    notify_users.delay(user_ids=[seeker.pk], message="Your resume is ready", notification_type="resume_completed")
    event = await next_event(socket, timeout=30)
    assert event["type"] == "notification"
    assert event["notification_type"] == "resume_completed"
    assert event["message"] == "Your resume is ready"
    await socket.close()


async def test_ws_status_counts_sockets_of_every_process(servers):
    seeker = await asyncio.to_thread(factories.SeekerFactory)
    recruiter = await asyncio.to_thread(factories.RecruiterFactory)
    admin = await asyncio.to_thread(factories.AdminFactory)
    on_a = [(await open_socket(servers["a"], seeker))[0] for _ in range(2)]
    on_b, _ = await open_socket(servers["b"], recruiter)
    await on_b.send(json.dumps({"type": "join_room", "room": "recruiters"}))
    assert json.loads(await on_b.recv())["type"] == "room_joined"
    expected = {"active_connections": 3, "active_users": 2, "rooms": {"recruiters": 1}}
    async with httpx.AsyncClient(base_url=servers["a"].http, timeout=10) as http:

        async def figures_match():
            status = (await http.get("/ws/status/", headers={"Authorization": f"Bearer {token(admin)}"})).json()
            return status if {key: status[key] for key in expected} == expected else None

        # Each process writes its figures within a second of a change.
        status = await wait_until_async(figures_match, 10, f"/ws/status/ to show {expected}", interval=0.2)
        forbidden = await http.get("/ws/status/", headers={"Authorization": f"Bearer {token(seeker)}"})
    assert status["processes"] >= 2
    assert forbidden.status_code == 403
    for socket in [*on_a, on_b]:
        await socket.close()
