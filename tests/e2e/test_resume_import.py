"""A resume parsed by a real Celery worker, watched over a real socket on a real daphne; and a worker that dies."""

import asyncio
import json
import time

import httpx
import pytest
from django.conf import settings

from marketplace.models import Document
from notifications.models import Notification
from tests import factories
from tests.e2e.conftest import open_socket, token
from tests.e2e.servers import CeleryWorker, Daphne, server_env
from tests.resumes.files import pdf_bytes, resume_lines
from tests.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def new_seeker():
    user = factories.UserFactory(first_name="", last_name="", user_type="job_seeker")
    factories.ProfileFactory(user=user, headline="", experience_years=0, experience_level="", skills=[], skill_names=[])
    return user


async def upload_resume(server, user, data: bytes) -> str:
    async with httpx.AsyncClient(base_url=server.http, timeout=20) as client:
        response = await client.post(
            "/api/documents/",
            headers={"Authorization": f"Bearer {token(user)}"},
            data={"document_type": "resume"},
            files={"file": ("cv.pdf", data, "application/pdf")},
        )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def frames_until_completed(socket, timeout: float = 60) -> list[dict]:
    frames = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frame = json.loads(await asyncio.wait_for(socket.recv(), deadline - time.monotonic()))
        frames.append(frame)
        if frame.get("notification_type") in ("resume_completed", "resume_failed"):
            return frames
    raise AssertionError(f"no resume_completed within {timeout} s: {frames}")


@pytest.fixture
def env(tmp_path):
    environment = server_env(settings.REDIS_URL)
    environment["KAZI_MEDIA_ROOT"] = str(tmp_path / "media")
    return environment


async def test_a_watcher_sees_progress_rise_to_100_then_resume_completed(transactional_db, tmp_path, env):
    web = Daphne("web", env, tmp_path)
    worker = None
    try:
        seeker = await asyncio.to_thread(new_seeker)
        # Uploaded before any worker runs, so the socket watches the whole parse from its first step.
        resume_id = await upload_resume(web, seeker, pdf_bytes(resume_lines()))
        socket, _ = await open_socket(web, seeker)
        await socket.send(json.dumps({"type": "watch_resume", "resume_id": resume_id}))
        # A resume not yet started sends nothing on watch; the pong says the watch was handled before it.
        await socket.send(json.dumps({"type": "ping"}))
        assert json.loads(await asyncio.wait_for(socket.recv(), 10))["type"] == "pong"

        worker = await asyncio.to_thread(CeleryWorker, env, tmp_path)
        frames = await frames_until_completed(socket)

        progress = [f for f in frames if f["type"] == "resume_progress"]
        values = [f["data"]["progress"] for f in progress]
        assert values == sorted(values), values
        assert values[-1] == 100 and len(set(values)) >= 6, values
        assert progress[-1]["data"]["status"] == "completed"
        assert "Extracting work experience" in [f["data"]["current_step"] for f in progress]
        done = frames[-1]
        assert done["type"] == "notification" and done["notification_type"] == "resume_completed"
        assert done["data"]["resume_id"] == resume_id
        profile = await asyncio.to_thread(lambda: type(seeker).objects.get(pk=seeker.pk).profile)
        assert profile.headline == "Senior Software Engineer"
        await socket.close()
    finally:
        if worker is not None:
            worker.stop()
        web.stop()


def test_a_parse_whose_worker_is_killed_completes_after_a_restart(transactional_db, tmp_path, env):
    env["KAZI_CELERY_VISIBILITY_TIMEOUT"] = "3"  # hand the unacked task out again soon after the crash
    seeker = new_seeker()
    web = Daphne("web", env, tmp_path)
    workers = []
    try:
        # Long enough (many pages) that the worker is still extracting text when it is killed.
        resume_id = asyncio.run(upload_resume(web, seeker, pdf_bytes(resume_lines(), pages=400)))
        workers.append(CeleryWorker(env, tmp_path))
        wait_until(
            lambda: Document.objects.filter(pk=resume_id, current_step="Extracting text").exists(), 60, "the parse"
        )
        workers[0].kill()  # SIGKILL of the whole worker: no ack, no goodbye
        assert Document.objects.get(pk=resume_id).status == "processing"

        # Real time on purpose: Redis hands the unacknowledged task out again only once its visibility timeout
        # (3 s, above) has passed on the clock, and the new worker restores it when it starts.
        time.sleep(3.5)
        workers.append(CeleryWorker(env, tmp_path))
        document = wait_until(
            lambda: Document.objects.filter(pk=resume_id, status="completed").first(), 90, "the retried parse"
        )

        assert document.progress == 100
        assert Notification.objects.filter(recipient=seeker, notification_type="resume_completed").count() == 1
        seeker.profile.refresh_from_db()
        assert seeker.profile.headline == "Senior Software Engineer"
        assert document.parsed_data["filled_fields"] == sorted(document.parsed_data["filled_fields"])
        assert Document.objects.get(pk=resume_id).profile_filled_at is not None
    finally:
        for worker in workers:
            worker.stop()
        web.stop()
