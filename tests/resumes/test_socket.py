"""Resume watching over ws/notifications/ (resumes/socket.py): `watch_resume`, `unwatch_resume`, live progress."""

import pytest
from channels.db import database_sync_to_async

from marketplace.choices import DocumentStatus
from marketplace.models import Document
from notifications import groups
from notifications.broadcaster import broadcaster
from resumes.selectors import resume_progress_frame
from tests import factories
from tests.notifications.ws_helpers import connect, receive, send

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("_close_hub")]


@pytest.fixture
def seeker2(transactional_db):
    return factories.SeekerFactory()


@database_sync_to_async
def make_resume(owner, **fields):
    return Document.objects.create(
        owner=owner,
        document_type="resume",
        file="documents/x.pdf",
        original_name="cv.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        **fields,
    )


async def test_watch_resume_answers_at_once_with_progress(seeker):
    document = await make_resume(
        seeker, status=DocumentStatus.PROCESSING, progress=65, current_step="Extracting work experience"
    )
    communicator, _ = await connect(seeker)
    await send(communicator, {"type": "watch_resume", "resume_id": str(document.pk)})
    progress = await receive(communicator)
    assert progress["type"] == "resume_progress"
    assert progress["resume_id"] == str(document.pk)
    assert progress["data"] == {
        "status": "processing",
        "progress": 65,
        "current_step": "Extracting work experience",
        "error": None,
    }
    await communicator.disconnect()


async def test_a_watcher_never_sees_resume_progress_go_back(seeker):
    """A frame published before the watcher's snapshot can reach the socket after it: it is dropped."""
    document = await make_resume(
        seeker, status=DocumentStatus.PROCESSING, progress=55, current_step="Extracting skills"
    )
    communicator, _ = await connect(seeker)
    await send(communicator, {"type": "watch_resume", "resume_id": str(document.pk)})
    assert (await receive(communicator))["data"]["progress"] == 55

    await database_sync_to_async(push_progress)(document, 10)  # stale: published before the snapshot was read
    await database_sync_to_async(push_progress)(document, 70)
    assert (await receive(communicator))["data"]["progress"] == 70
    await communicator.disconnect()


async def test_watch_resume_of_another_seeker_is_refused(seeker, seeker2):
    document = await make_resume(seeker2)
    communicator, _ = await connect(seeker)
    await send(communicator, {"type": "watch_resume", "resume_id": str(document.pk)})
    error = await receive(communicator)
    assert error["type"] == "error" and "No such resume" in error["message"]
    await communicator.disconnect()


def push_progress(document, progress: int) -> None:
    document.progress = progress
    broadcaster.publish_transient(to_groups=[groups.resume_group(document.pk)], frame=resume_progress_frame(document))


async def test_watch_resume_without_a_resume_id_is_an_error(seeker):
    communicator, _ = await connect(seeker)
    await send(communicator, {"type": "watch_resume"})
    assert (await receive(communicator))["message"] == "Missing field: resume_id"
    await send(communicator, {"type": "watch_resume", "resume_id": "not-a-uuid"})
    assert (await receive(communicator))["message"] == "No such resume."
    await communicator.disconnect()


async def test_an_uploaded_resume_is_watched_without_an_answer(seeker):
    document = await make_resume(seeker, status=DocumentStatus.UPLOADED)
    communicator, _ = await connect(seeker)
    await send(communicator, {"type": "watch_resume", "resume_id": str(document.pk)})
    assert await communicator.receive_nothing(timeout=0.3)
    await database_sync_to_async(push_progress)(document, 5)
    assert (await receive(communicator))["data"]["progress"] == 5
    await communicator.disconnect()


async def test_unwatch_stops_progress_and_unwatching_twice_is_an_error(seeker):
    document = await make_resume(seeker, status=DocumentStatus.PROCESSING, progress=20)
    communicator, _ = await connect(seeker)
    await send(communicator, {"type": "watch_resume", "resume_id": str(document.pk)})
    assert (await receive(communicator))["data"]["progress"] == 20
    await send(communicator, {"type": "unwatch_resume", "resume_id": str(document.pk)})
    await send(communicator, {"type": "ping"})
    assert (await receive(communicator))["type"] == "pong", "unwatch has no answer"
    await database_sync_to_async(push_progress)(document, 40)
    assert await communicator.receive_nothing(timeout=0.3)
    await send(communicator, {"type": "unwatch_resume", "resume_id": str(document.pk)})
    assert (await receive(communicator))["message"] == "You are not watching that resume."
    await communicator.disconnect()
