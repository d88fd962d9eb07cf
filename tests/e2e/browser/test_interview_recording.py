"""Recording the interview call in Chromium with fake devices: 5 s recorded and stopped make a valid WebM of at
least 4 s (ffprobe), played back on the recordings page; a tab closed mid-recording leaves a playable file of
what it uploaded. The browser side runs in a loopback-only network namespace (tests/e2e/recording_check.py)."""

import json
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from interviews import services
from interviews.choices import RecordingStatus
from interviews.models import Recording
from tests import factories
from tests.e2e import servers
from tests.e2e.browser.test_interview_room import (
    CHROMIUM,
    IN_LOOPBACK_ONLY_NAMESPACE,
    database_url_inside_namespace,
    logged_in_session,
    namespace_problem,
)
from tests.interviews.helpers import book, shortlisted, soon

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHECK_SCRIPT = servers.ROOT / "tests" / "e2e" / "recording_check.py"
FFPROBE = shutil.which("ffprobe")
# Inside the namespace nothing else listens; the port is still one of this suite's own.
PORT = 8631


def probe_seconds(path: Path) -> float:
    finished = subprocess.run(
        [FFPROBE, "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
    )
    assert finished.returncode == 0, f"ffprobe refused {path.name}: {finished.stderr[-500:]}"
    return float(finished.stdout.strip())


def streams_of(path: Path) -> list[str]:
    finished = subprocess.run(
        [FFPROBE, "-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return sorted(line.strip() for line in finished.stdout.splitlines() if line.strip())


def loudest_db(path: Path) -> float:
    """The audio's peak level (ffmpeg's volumedetect): near -91 dB is silence."""
    finished = subprocess.run(
        ["ffmpeg", "-v", "info", "-i", str(path), "-af", "volumedetect", "-f", "null", "-"],
        capture_output=True,
        text=True,
    )
    line = next(line for line in finished.stderr.splitlines() if "max_volume:" in line)
    return float(line.split("max_volume:")[1].split("dB")[0])


def run_check(config: dict) -> dict:
    finished = subprocess.run(
        [*IN_LOOPBACK_ONLY_NAMESPACE, sys.executable, str(CHECK_SCRIPT), json.dumps(config)],
        cwd=servers.ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    lines = [line for line in finished.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, f"the browser check printed no result (exit {finished.returncode}):\n{finished.stderr[-3000:]}"
    outcome = json.loads(lines[-1][len("RESULT ") :])
    assert outcome["failures"] == [], json.dumps(outcome, indent=2)
    assert finished.returncode == 0
    return outcome["results"]


def test_a_recorded_call_is_a_valid_webm_and_a_closed_tab_keeps_what_it_uploaded(tmp_path, settings):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install -y chromium; .ci/run does it)")
    if FFPROBE is None:
        pytest.skip("ffprobe is not installed (apt-get install -y ffmpeg; .ci/run does it): no real WebM check")
    problem = namespace_problem()
    if problem:
        pytest.skip(f"{problem}: WebRTC must stay on loopback, so this test needs a network namespace")

    recruiter = factories.RecruiterFactory(first_name="Hawa", last_name="Manager")
    job = factories.JobFactory(company=recruiter.company, posted_by=recruiter, title="Backend Engineer")
    candidate = factories.SeekerFactory(first_name="Amina", last_name="Wanjiru")
    interview = book(shortlisted(job, candidate), by=recruiter, start=soon(5), now=timezone.now())
    services.interview_update(interview=interview, actor=recruiter, recording_enabled=True)
    media_root = tmp_path / "media"
    settings.MEDIA_ROOT = media_root
    settings.CELERY_TASK_ALWAYS_EAGER = True
    relay_dir = tmp_path / "pg"  # short: a Unix socket path has a 107-byte limit
    relay_dir.mkdir()
    database_url, relay = database_url_inside_namespace(relay_dir)
    config = {
        "database_url": database_url,
        "interview_id": interview.pk,
        "sessions": {"recruiter": logged_in_session(recruiter), "candidate": logged_in_session(candidate)},
        "log_dir": str(tmp_path),
        "media_root": str(media_root),
        "port": PORT,
    }
    try:
        results = run_check(config)
    finally:
        if relay is not None:
            relay.close()
    print("recording check:", json.dumps({k: v for k, v in results.items() if k != "daphne_log_tail"}))

    stopped, abandoned = Recording.objects.filter(interview=interview).order_by("started_at")
    assert stopped.status == RecordingStatus.READY and not stopped.abandoned
    path = media_root / stopped.file.name
    seconds = probe_seconds(path)
    print(f"stopped recording: {seconds:.2f} s, {stopped.size} bytes in {stopped.chunk_count} chunks")
    assert seconds >= 4
    assert streams_of(path) == ["audio", "video"]
    assert loudest_db(path) > -40  # the fake microphones' beeps are in it

    # The tab closed mid-recording: the sweep (here called as beat would, minutes later) keeps what arrived.
    assert abandoned.status == RecordingStatus.RECORDING and abandoned.chunk_count >= 2
    later = timezone.now() + timedelta(minutes=settings.KAZI_RECORDING_ABANDON_MINUTES + 1)
    assert services.recordings_close_abandoned(now=later) == 1
    abandoned.refresh_from_db()
    assert abandoned.status == RecordingStatus.READY and abandoned.abandoned
    kept_path = media_root / abandoned.file.name
    kept = probe_seconds(kept_path)
    print(f"abandoned recording: {kept:.2f} s from {abandoned.chunk_count} chunks")
    assert kept > 0 and streams_of(kept_path) == ["audio", "video"]
