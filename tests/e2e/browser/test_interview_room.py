"""The interview room with real WebRTC: a recruiter and a candidate see each other in Chromium.

ICE must stay on loopback, so the browser, its daphne and a private Redis run in a network
namespace that has only `lo` (tests/e2e/webrtc_room_check.py, started under `unshare --net`).
The database stays outside: a Unix socket relay (sockets on the filesystem cross namespaces)
carries the server's PostgreSQL connections to the test database.
"""

import contextlib
import json
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from chat import services as chat_services
from chat.models import Message
from interviews.choices import InterviewStatus
from interviews.models import Attendance, Interview
from tests import factories
from tests.e2e import servers
from tests.interviews.helpers import book, shortlisted, soon

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path("/usr/bin/chromium")
CHECK_SCRIPT = servers.ROOT / "tests" / "e2e" / "webrtc_room_check.py"
LOOP_SCRIPT = servers.ROOT / "tests" / "e2e" / "webrtc_join_loop_check.py"
CALL_SCRIPT = servers.ROOT / "tests" / "e2e" / "webrtc_call_check.py"
IN_LOOPBACK_ONLY_NAMESPACE = ["unshare", "--net", "--", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"]


def namespace_problem() -> str | None:
    """Why a loopback-only network namespace cannot be made here, or None when it can."""
    try:
        probe = subprocess.run([*IN_LOOPBACK_ONLY_NAMESPACE, "true"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"`unshare --net` cannot run: {exc}"
    if probe.returncode != 0:
        return f"`unshare --net` is not permitted here: {probe.stderr.strip() or probe.returncode}"
    return None


class UnixSocketRelay:
    """Listens on `<directory>/.s.PGSQL.<port>` (where libpq looks for a socket) and pipes each
    connection to PostgreSQL's TCP address, which a network namespace cannot reach itself."""

    def __init__(self, directory: Path, host: str, port: int):
        self.target = (host, port)
        self.path = directory / f".s.PGSQL.{port}"
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(str(self.path))
        self.listener.listen(64)
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.closed = True
        self.listener.close()


def database_url_inside_namespace(relay_dir: Path) -> tuple[str, UnixSocketRelay | None]:
    url = servers.test_database_url()
    if "?host=/" in url:  # already a Unix socket: reachable from the namespace as it is
        return url, None
    parts = urlsplit(url)
    port = parts.port or 5432
    relay = UnixSocketRelay(relay_dir, parts.hostname or "127.0.0.1", port)
    credentials = parts.netloc.rsplit("@", 1)[0] if "@" in parts.netloc else "postgres"
    return f"postgresql://{credentials}@{parts.path}?host={relay_dir}&port={port}", relay


def logged_in_session(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def needs_chromium_and_namespace() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's chromium is not installed at {CHROMIUM} (apt-get install -y chromium; .ci/run does it)")
    problem = namespace_problem()
    if problem:
        pytest.skip(f"{problem}: WebRTC must stay on loopback, so this test needs a network namespace")


def run_in_namespace(script: Path, config: dict, tmp_path, timeout: int) -> dict:
    """Run a browser check script inside the loopback-only namespace; its RESULT, checked for failures."""
    relay_dir = Path(tmp_path) / "pg"  # short: a Unix socket path has a 107-byte limit
    relay_dir.mkdir()
    database_url, relay = database_url_inside_namespace(relay_dir)
    config = {**config, "database_url": database_url, "log_dir": str(tmp_path)}
    try:
        finished = subprocess.run(
            [*IN_LOOPBACK_ONLY_NAMESPACE, sys.executable, str(script), json.dumps(config)],
            cwd=servers.ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    finally:
        if relay is not None:
            relay.close()
    lines = [line for line in finished.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, f"the browser check printed no result (exit {finished.returncode}):\n{finished.stderr[-3000:]}"
    outcome = json.loads(lines[-1][len("RESULT ") :])
    assert outcome["failures"] == [], json.dumps(outcome, indent=2)
    assert finished.returncode == 0
    return outcome["results"]


def test_recruiter_and_candidate_see_each_other_in_the_interview_room(tmp_path):
    needs_chromium_and_namespace()
    recruiter = factories.RecruiterFactory(first_name="Hawa", last_name="Manager")
    job = factories.JobFactory(company=recruiter.company, posted_by=recruiter, title="Backend Engineer")
    candidate = factories.SeekerFactory(first_name="Amina", last_name="Wanjiru")
    interview = book(shortlisted(job, candidate), by=recruiter, start=soon(5), now=timezone.now())
    config = {
        "interview_id": interview.pk,
        "sessions": {"recruiter": logged_in_session(recruiter), "candidate": logged_in_session(candidate)},
        "names": {"recruiter": recruiter.full_name, "candidate": candidate.full_name},
    }
    results = run_in_namespace(CHECK_SCRIPT, config, tmp_path, timeout=120)
    print("interview room check:", json.dumps({k: v for k, v in results.items() if k != "daphne_log_tail"}))
    assert results["both peer connections connected"]["ok"]
    decoded = results["each side decodes the other's video"]["detail"]
    assert decoded["recruiter"] > 0 and decoded["candidate"] > 0
    # The pages joined over REST: the session is in progress; the recruiter left, the candidate is still in.
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.IN_PROGRESS
    assert list(
        Attendance.objects.filter(interview=interview, left_at__isnull=True).values_list("user", flat=True)
    ) == [candidate.pk]


def test_thirty_simultaneous_starts_connect_and_only_the_recruiter_ends_the_interview(tmp_path):
    """Both press Join at the same instant (either first, or a few ms apart), one side reloads mid-call every
    third start: every start connects with video both ways, with no rejoin. Then both leave mid-slot and come
    back (connected again: leaving does not end it), and the recruiter's "End interview" ends it for both."""
    needs_chromium_and_namespace()
    recruiter = factories.RecruiterFactory(first_name="Hawa", last_name="Manager")
    job = factories.JobFactory(company=recruiter.company, posted_by=recruiter, title="Backend Engineer")
    candidate = factories.SeekerFactory(first_name="Amina", last_name="Wanjiru")
    interview = book(shortlisted(job, candidate), by=recruiter, start=soon(5), now=timezone.now())
    config = {
        "interview_id": interview.pk,
        "starts": 30,
        "sessions": {"recruiter": logged_in_session(recruiter), "candidate": logged_in_session(candidate)},
    }
    results = run_in_namespace(LOOP_SCRIPT, config, tmp_path, timeout=400)
    print("start loop:", json.dumps({k: v for k, v in results.items() if k != "daphne_log_tail"}))
    assert results["starts"] == 30
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.COMPLETED
    assert not Attendance.objects.filter(interview=interview, left_at__isnull=True).exists()


def test_a_video_call_from_chat_rings_the_other_side_and_a_declined_one_is_a_missed_call(tmp_path):
    """The chat's "Video call" rings the other person's page; Accept: both in the call with video. A second call
    declined: "missed call" in both conversation views."""
    needs_chromium_and_namespace()
    recruiter = factories.RecruiterFactory(first_name="Hawa", last_name="Manager")
    seeker = factories.SeekerFactory(first_name="Amina", last_name="Wanjiru")
    conversation, _ = chat_services.conversation_start_direct(initiator=recruiter, other=seeker)
    config = {
        "conversation_id": str(conversation.pk),
        "sessions": {"caller": logged_in_session(recruiter), "callee": logged_in_session(seeker)},
    }
    results = run_in_namespace(CALL_SCRIPT, config, tmp_path, timeout=180)
    print("call check:", json.dumps({k: v for k, v in results.items() if k != "daphne_log_tail"}))
    calls = list(Interview.objects.filter(kind="call").order_by("pk").values_list("status", "cancel_reason"))
    assert calls == [("completed", ""), ("cancelled", "declined")]
    contents = list(
        Message.objects.filter(conversation=conversation).order_by("created_at").values_list("content", flat=True)
    )
    assert contents[-1] == "missed call" and contents[0].startswith("call, ")
