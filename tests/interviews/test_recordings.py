"""Recording an interview call over the API: who may record, chunks stored once per sequence number, limits and
content checks, the assembled file (probed with ffprobe), the room's frames, abandonment, deletion, retention."""

import io
import json
import shutil
import subprocess
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from interviews import services
from interviews.choices import RecordingStatus
from interviews.models import Recording, RecordingChunk
from notifications import groups
from notifications.models import Notification
from privacy.erasure import account_erase
from privacy.export import export_archive
from tests.conftest import client_for
from tests.interviews.helpers import book, soon
from tests.notifications.redis_listener import RedisListener, frame

pytestmark = pytest.mark.django_db

# The start of a WebM stream as Chrome's MediaRecorder writes it: the EBML header with DocType "webm".
WEBM_HEAD = bytes.fromhex("1a45dfa39f4286810142f7810142f2810442f381084282847765626d")
FFMPEG = shutil.which("ffmpeg")
FFPROBE = shutil.which("ffprobe")


@pytest.fixture(autouse=True)
def _assembled_inline(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def interview(application, hiring_manager):
    """An interview whose room is open now, with recording enabled."""
    booked = book(application, by=hiring_manager, start=soon(5), now=timezone.now())
    services.interview_update(interview=booked, actor=hiring_manager, recording_enabled=True)
    booked.refresh_from_db()
    return booked


def recordings_url(interview, suffix: str = "") -> str:
    return f"/api/interview/{interview.pk}/recordings/{suffix}"


def start(client, interview) -> dict:
    response = client.post(recordings_url(interview))
    assert response.status_code == 201, response.content
    return response.json()


def put_chunk(client, interview, recording_id, sequence: int, data: bytes):
    return client.generic(
        "POST",
        recordings_url(interview, f"{recording_id}/chunks/{sequence}/"),
        data,
        content_type="video/webm",
    )


@pytest.fixture(scope="module")
def sample_webm(tmp_path_factory) -> bytes:
    """Three seconds of VP8 video made by ffmpeg, as a recorder's stream would be."""
    if FFMPEG is None:
        pytest.skip("ffmpeg is not installed (apt-get install -y ffmpeg; .ci/run does it)")
    path = tmp_path_factory.mktemp("webm") / "sample.webm"
    subprocess.run(
        [
            FFMPEG,
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=3:size=160x120:rate=15",
            "-c:v",
            "libvpx",
            "-b:v",
            "200k",
            "-f",
            "webm",
            str(path),
        ],
        check=True,
    )
    return path.read_bytes()


def probe_seconds(path: Path) -> float:
    finished = subprocess.run(
        [FFPROBE, "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(finished.stdout.strip())


def pieces(data: bytes, count: int) -> list[bytes]:
    size = len(data) // count + 1
    return [data[i : i + size] for i in range(0, len(data), size)]


def test_a_recording_uploaded_in_chunks_becomes_one_playable_file(
    interview, hiring_manager, candidate, sample_webm, django_capture_on_commit_callbacks
):
    recruiter = client_for(hiring_manager)
    recording = start(recruiter, interview)
    assert recording["status"] == "recording"
    for sequence, piece in enumerate(pieces(sample_webm, 4)):
        response = put_chunk(recruiter, interview, recording["id"], sequence, piece)
        assert response.status_code == 201, response.content
    with django_capture_on_commit_callbacks(execute=True):
        stopped = recruiter.post(recordings_url(interview, f"{recording['id']}/stop/"))
    assert stopped.status_code == 200

    stored = Recording.objects.get(pk=recording["id"])
    assert stored.status == RecordingStatus.READY
    assert stored.chunk_count == 4 and not RecordingChunk.objects.filter(recording=stored).exists()
    path = Path(stored.file.path)
    assert path.read_bytes()[:4] == b"\x1a\x45\xdf\xa3"
    if FFPROBE:
        assert probe_seconds(path) >= 2.5
        assert stored.duration_seconds >= 2.5

    listing = recruiter.get(recordings_url(interview)).json()
    assert listing["active"] is None and listing["can_record"] is True
    [shown] = listing["results"]
    assert shown["file_url"] == f"/api/interview/{interview.pk}/recordings/{stored.pk}/file/"
    whole = recruiter.get(shown["file_url"])
    assert whole.status_code == 200 and whole["Content-Type"] == "video/webm"
    assert b"".join(whole.streaming_content) == path.read_bytes()
    part = recruiter.get(shown["file_url"], HTTP_RANGE="bytes=0-99")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 0-99/{stored.size}"
    assert len(b"".join(part.streaming_content)) == 100
    tail = recruiter.get(shown["file_url"], HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206 and b"".join(tail.streaming_content) == path.read_bytes()[-10:]
    past_the_end = recruiter.get(shown["file_url"], HTTP_RANGE=f"bytes={stored.size}-")
    assert past_the_end.status_code == 416 and past_the_end["Content-Range"] == f"bytes */{stored.size}"


def test_a_chunk_sent_again_is_stored_once_and_other_bytes_under_its_number_are_refused(interview, hiring_manager):
    recruiter = client_for(hiring_manager)
    recording = start(recruiter, interview)
    first = put_chunk(recruiter, interview, recording["id"], 0, WEBM_HEAD + b"x" * 100)
    again = put_chunk(recruiter, interview, recording["id"], 0, WEBM_HEAD + b"x" * 100)
    assert (first.status_code, first.json()["duplicate"]) == (201, False)
    assert (again.status_code, again.json()["duplicate"]) == (200, True)
    other = put_chunk(recruiter, interview, recording["id"], 0, WEBM_HEAD + b"y" * 100)
    assert other.status_code == 409
    stored = Recording.objects.get(pk=recording["id"])
    assert (stored.chunk_count, stored.received_bytes) == (1, len(WEBM_HEAD) + 100)


def test_a_retry_after_stopping_is_still_answered_but_a_new_chunk_is_refused(interview, hiring_manager, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # keep it `finalizing`: the chunks are still there
    recruiter = client_for(hiring_manager)
    recording = start(recruiter, interview)
    put_chunk(recruiter, interview, recording["id"], 0, WEBM_HEAD + b"a")
    recruiter.post(recordings_url(interview, f"{recording['id']}/stop/"))
    assert put_chunk(recruiter, interview, recording["id"], 0, WEBM_HEAD + b"a").status_code == 200
    late = put_chunk(recruiter, interview, recording["id"], 1, b"more")
    assert late.status_code == 409
    assert "stopped" in late.json()["detail"]


def test_chunk_size_limit_and_content_checks(interview, hiring_manager, settings):
    settings.KAZI_RECORDING_CHUNK_MAX_BYTES = 2048
    recruiter = client_for(hiring_manager)
    recording = start(recruiter, interview)
    too_big = put_chunk(recruiter, interview, recording["id"], 0, WEBM_HEAD + b"x" * 3000)
    assert too_big.status_code == 413
    assert "2048" in too_big.json()["detail"]
    not_webm = put_chunk(recruiter, interview, recording["id"], 0, b"%PDF-1.7 not a video")
    assert not_webm.status_code == 415
    assert "WebM" in not_webm.json()["detail"]
    assert put_chunk(recruiter, interview, recording["id"], 0, WEBM_HEAD).status_code == 201
    second_header = put_chunk(recruiter, interview, recording["id"], 1, WEBM_HEAD + b"again")
    assert second_header.status_code == 415
    empty = put_chunk(recruiter, interview, recording["id"], 1, b"")
    assert empty.status_code == 400
    assert Recording.objects.get(pk=recording["id"]).chunk_count == 1


def test_a_first_chunk_cut_inside_the_header_is_taken_and_the_whole_file_is_checked(
    interview, hiring_manager, sample_webm, django_capture_on_commit_callbacks
):
    """MediaRecorder once handed over a first chunk of one byte (0x1a) on a loaded machine."""
    recruiter = client_for(hiring_manager)
    good, bad = start(recruiter, interview), None
    for sequence, piece in enumerate([sample_webm[:1], sample_webm[1:30], sample_webm[30:]]):
        assert put_chunk(recruiter, interview, good["id"], sequence, piece).status_code == 201
    assert put_chunk(recruiter, interview, good["id"], 3, b"\x00").status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        recruiter.post(recordings_url(interview, f"{good['id']}/stop/"))
    assert Recording.objects.get(pk=good["id"]).status == RecordingStatus.READY

    bad = start(recruiter, interview)
    assert put_chunk(recruiter, interview, bad["id"], 0, b"\x00").status_code == 415
    assert put_chunk(recruiter, interview, bad["id"], 0, b"\x1a\x45").status_code == 201
    assert put_chunk(recruiter, interview, bad["id"], 1, b"not the rest of a webm header at all").status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        recruiter.post(recordings_url(interview, f"{bad['id']}/stop/"))
    refused = Recording.objects.get(pk=bad["id"])
    assert (refused.status, refused.error) == (RecordingStatus.FAILED, "The upload is not a WebM recording.")
    assert not refused.file


def test_the_whole_recording_has_a_size_limit(interview, hiring_manager, settings):
    settings.KAZI_RECORDING_MAX_BYTES = 1500
    recruiter = client_for(hiring_manager)
    recording = start(recruiter, interview)
    assert put_chunk(recruiter, interview, recording["id"], 0, WEBM_HEAD + b"x" * 1000).status_code == 201
    over = put_chunk(recruiter, interview, recording["id"], 1, b"y" * 1000)
    assert over.status_code == 413


def test_the_candidate_sees_that_a_recording_exists_but_cannot_record_play_or_delete_it(
    interview, hiring_manager, candidate
):
    recruiter, seeker = client_for(hiring_manager), client_for(candidate)
    recording = start(recruiter, interview)
    listing = seeker.get(recordings_url(interview))
    assert listing.status_code == 200
    body = listing.json()
    assert body["can_record"] is False and body["active"]["id"] == recording["id"]
    assert [r["file_url"] for r in body["results"]] == [None]
    rid = recording["id"]
    assert seeker.post(recordings_url(interview)).status_code == 403
    assert put_chunk(seeker, interview, rid, 0, WEBM_HEAD).status_code == 403
    assert seeker.post(recordings_url(interview, f"{rid}/stop/")).status_code == 403
    assert seeker.get(recordings_url(interview, f"{rid}/file/")).status_code == 403
    assert seeker.delete(recordings_url(interview, f"{rid}/")).status_code == 403
    assert Recording.objects.get(pk=rid).status == RecordingStatus.RECORDING


def test_someone_outside_the_interview_finds_nothing(interview, hiring_manager, rival, seeker):
    recording = start(client_for(hiring_manager), interview)
    for outsider in (rival, seeker):
        client = client_for(outsider)
        assert client.get(recordings_url(interview)).status_code == 404
        assert client.post(recordings_url(interview)).status_code == 404
        assert put_chunk(client, interview, recording["id"], 0, WEBM_HEAD).status_code == 404
        assert client.get(recordings_url(interview, f"{recording['id']}/file/")).status_code == 404


def test_a_colleague_of_the_company_may_stop_a_recording_another_recruiter_started(
    interview, hiring_manager, colleague
):
    recording = start(client_for(hiring_manager), interview)
    response = client_for(colleague).post(recordings_url(interview, f"{recording['id']}/stop/"))
    assert response.status_code == 200 and response.json()["status"] in ("finalizing", "failed")


def test_recording_needs_recording_enabled_and_one_at_a_time(interview, hiring_manager):
    recruiter = client_for(hiring_manager)
    start(recruiter, interview)
    again = recruiter.post(recordings_url(interview))
    assert again.status_code == 409
    assert "already being recorded" in again.json()["detail"]
    interview.recording_enabled = False
    interview.save(update_fields=["recording_enabled"])
    Recording.objects.all().delete()
    refused = recruiter.post(recordings_url(interview))
    assert refused.status_code == 400
    assert "Recording is not enabled for this interview" in refused.json()["detail"]


def test_the_room_hears_when_recording_starts_and_stops(interview, hiring_manager, django_capture_on_commit_callbacks):
    listener = RedisListener()
    listener.subscribe(groups.interview_group(interview.pk))
    recruiter = client_for(hiring_manager)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            recording = start(recruiter, interview)
        with django_capture_on_commit_callbacks(execute=True):
            recruiter.post(recordings_url(interview, f"{recording['id']}/stop/"))
        frames = [frame(envelope) for _, envelope in listener.received()]
    finally:
        listener.close()
    started, stopped = frames
    assert started["type"] == "recording_started" and started["recording_id"] == str(recording["id"])
    assert started["started_by"] == {"user_id": str(hiring_manager.pk), "name": hiring_manager.full_name}
    assert stopped["type"] == "recording_stopped" and stopped["abandoned"] is False


def test_an_abandoned_recording_becomes_a_file_of_what_was_uploaded(
    interview, hiring_manager, sample_webm, django_capture_on_commit_callbacks, settings
):
    recruiter = client_for(hiring_manager)
    recording = start(recruiter, interview)
    parts = pieces(sample_webm, 5)
    for sequence, piece in enumerate(parts[:3]):
        put_chunk(recruiter, interview, recording["id"], sequence, piece)
    # Chunk 3 never arrived; 4 did: the file keeps 0-2, which play, and leaves out what follows the gap.
    put_chunk(recruiter, interview, recording["id"], 4, parts[4])
    assert services.recordings_close_abandoned() == 0  # chunks came just now
    later = timezone.now() + timedelta(minutes=settings.KAZI_RECORDING_ABANDON_MINUTES + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.recordings_close_abandoned(now=later) == 1
    stored = Recording.objects.get(pk=recording["id"])
    assert stored.status == RecordingStatus.READY and stored.abandoned
    assert stored.size <= sum(len(p) for p in parts[:3]) + 4096
    assert not Path(default_storage.path(f"recordings/parts/{stored.pk}")).exists()
    if FFPROBE:
        assert probe_seconds(Path(stored.file.path)) > 0.5


def test_a_recording_with_nothing_uploaded_fails_with_a_reason(
    interview, hiring_manager, django_capture_on_commit_callbacks
):
    recruiter = client_for(hiring_manager)
    recording = start(recruiter, interview)
    with django_capture_on_commit_callbacks(execute=True):
        recruiter.post(recordings_url(interview, f"{recording['id']}/stop/"))
    body = recruiter.get(recordings_url(interview, f"{recording['id']}/")).json()
    assert body["status"] == "failed" and body["error"] == "Nothing was uploaded."


def test_the_recruiter_deletes_a_recording_and_its_file(
    interview, hiring_manager, candidate, django_capture_on_commit_callbacks
):
    recruiter = client_for(hiring_manager)
    recording = start(recruiter, interview)
    put_chunk(recruiter, interview, recording["id"], 0, WEBM_HEAD + b"z" * 50)
    assert recruiter.delete(recordings_url(interview, f"{recording['id']}/")).status_code == 409  # still running
    with django_capture_on_commit_callbacks(execute=True):
        recruiter.post(recordings_url(interview, f"{recording['id']}/stop/"))
    path = Path(Recording.objects.get(pk=recording["id"]).file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert recruiter.delete(recordings_url(interview, f"{recording['id']}/")).status_code == 204
    assert not path.exists() and not Recording.objects.exists()
    assert client_for(candidate).get(recordings_url(interview)).json()["results"] == []


def test_recordings_older_than_the_retention_are_deleted_with_their_files(
    interview, hiring_manager, settings, django_capture_on_commit_callbacks
):
    recruiter = client_for(hiring_manager)
    recording = start(recruiter, interview)
    put_chunk(recruiter, interview, recording["id"], 0, WEBM_HEAD + b"r" * 10)
    with django_capture_on_commit_callbacks(execute=True):
        recruiter.post(recordings_url(interview, f"{recording['id']}/stop/"))
    path = Path(Recording.objects.get(pk=recording["id"]).file.path)
    just_before = timezone.now() + timedelta(days=settings.KAZI_RECORDING_RETENTION_DAYS - 1)
    assert services.recordings_delete_expired(now=just_before) == 0
    after = timezone.now() + timedelta(days=settings.KAZI_RECORDING_RETENTION_DAYS, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.recordings_delete_expired(now=after) == 1
    assert not Recording.objects.exists() and not path.exists()


def test_the_candidate_is_told_at_scheduling_that_the_interview_may_be_recorded(application, hiring_manager, candidate):
    client = client_for(hiring_manager)
    start_at = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    response = client.post(
        "/api/interview/schedule/",
        {
            "application_id": application.pk,
            "scheduled_at": start_at.isoformat(),
            "duration": 45,
            "recording_enabled": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    told = Notification.objects.get(recipient=candidate, notification_type="interview_scheduled")
    assert "Recording is enabled" in told.message
    assert told.data["recording_enabled"] is True
    invite = client_for(candidate).get(f"/api/interview/{response.json()['id']}/calendar.ics")
    assert b"Recording is enabled" in invite.content.replace(b"\r\n ", b"")


def ready_recording(interview, hiring_manager, capture) -> Recording:
    recruiter = client_for(hiring_manager)
    recording = start(recruiter, interview)
    put_chunk(recruiter, interview, recording["id"], 0, WEBM_HEAD + b"p" * 200)
    with capture(execute=True):
        recruiter.post(recordings_url(interview, f"{recording['id']}/stop/"))
    return Recording.objects.get(pk=recording["id"])


def test_the_recordings_page_plays_back_for_recruiters_and_tells_the_candidate(
    interview, hiring_manager, candidate, rival, django_capture_on_commit_callbacks
):
    recording = ready_recording(interview, hiring_manager, django_capture_on_commit_callbacks)
    page = f"/interview/{interview.pk}/recordings/"
    browser = Client()
    browser.force_login(hiring_manager)
    html = browser.get(page).content.decode()
    assert f'src="/api/interview/{interview.pk}/recordings/{recording.pk}/file/"' in html
    assert f'data-delete-recording="{recording.pk}"' in html

    browser.force_login(candidate)
    html = browser.get(page).content.decode()
    assert "only its recruiters play them back" in html and "<video" not in html
    assert f'data-recording-id="{recording.pk}"' in html

    browser.force_login(rival)
    assert browser.get(page).status_code == 404


def test_recordings_have_admin_pages_and_an_admin_delete_takes_the_file(
    interview, hiring_manager, admin_user, django_capture_on_commit_callbacks
):
    recording = ready_recording(interview, hiring_manager, django_capture_on_commit_callbacks)
    path = Path(recording.file.path)
    staff = Client()
    staff.force_login(admin_user)
    assert staff.get("/admin/interviews/recording/").status_code == 200
    assert staff.get("/admin/interviews/recordingchunk/").status_code == 200
    assert staff.get(f"/admin/interviews/recording/{recording.pk}/change/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/admin/interviews/recording/{recording.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Recording.objects.exists() and not path.exists()


def test_erasing_the_candidates_account_takes_the_recording_files_too(
    interview, hiring_manager, candidate, django_capture_on_commit_callbacks
):
    recording = ready_recording(interview, hiring_manager, django_capture_on_commit_callbacks)
    path = Path(recording.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=candidate)
    assert not Recording.objects.exists() and not path.exists()


def test_the_recruiters_data_export_lists_the_recording_without_its_video(
    interview, hiring_manager, django_capture_on_commit_callbacks
):
    recording = ready_recording(interview, hiring_manager, django_capture_on_commit_callbacks)
    archive = zipfile.ZipFile(io.BytesIO(export_archive(user=hiring_manager)))
    [row] = json.loads(archive.read("interviews.Recording.json"))["rows"]
    assert row["id"] == recording.pk and "file" not in row
    assert not [name for name in archive.namelist() if name.startswith("files/interviews.Recording/")]
