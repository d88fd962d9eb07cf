"""config/embedded.py from the outside: what `make run`'s processes and the test runner do when no URL is set."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings


@pytest.fixture
def var_dir():
    # Not tmp_path: run as root, pgserver starts PostgreSQL as another user, who must be able to
    # enter every parent directory, and each new pytest session resets /tmp/pytest-of-<user> to 0700.
    parent = Path(tempfile.mkdtemp(prefix="kazi-embedded-"))
    yield parent / "var"
    shutil.rmtree(parent, ignore_errors=True)


def run_without_urls(args: list[str], var_dir: Path, **extra_env: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(KAZI_VAR_DIR=str(var_dir), **extra_env)
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )


def run_embedded(command: str, var_dir: Path) -> subprocess.CompletedProcess:
    return run_without_urls(["-m", "config.embedded", command], var_dir)


PRINT_URLS = "from django.conf import settings as s; print(f'DATABASE_URL={s.DATABASE_URL}\\nREDIS_URL={s.REDIS_URL}')"


def printed_urls(result: subprocess.CompletedProcess) -> dict[str, str]:
    assert result.returncode == 0, result.stderr
    return dict(re.findall(r"^(DATABASE_URL|REDIS_URL)=(\S+)$", result.stdout, re.MULTILINE))


def test_an_entry_point_starts_the_servers_a_second_process_reuses_them_and_stop_stops_them(var_dir):
    try:
        first = printed_urls(run_without_urls(["manage.py", "shell", "-c", PRINT_URLS], var_dir))
        second = printed_urls(run_embedded("start", var_dir))

        assert second == first
        assert set(first) == {"DATABASE_URL", "REDIS_URL"}
        assert redis.Redis.from_url(first["REDIS_URL"], socket_timeout=2).ping() is True
        with psycopg.connect(first["DATABASE_URL"], connect_timeout=5) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("kazi",)
    finally:
        stopped = run_embedded("stop", var_dir)

    assert stopped.returncode == 0, stopped.stderr
    assert "embedded Redis stopped" in stopped.stdout
    assert "embedded PostgreSQL stopped" in stopped.stdout
    with pytest.raises(redis.ConnectionError):
        redis.Redis.from_url(first["REDIS_URL"], socket_connect_timeout=2).ping()
    assert not (var_dir / "postgres" / "postmaster.pid").exists()


def test_collecting_the_tests_starts_no_server(var_dir):
    # Only the plugins that read the settings: the others (hypothesis, schemathesis, ...) take seconds to import.
    plugins = ["-p", "pytest_django.plugin", "-p", "pytest_asyncio.plugin", "-p", "no:cacheprovider"]
    result = run_without_urls(
        ["-m", "pytest", *plugins, "--collect-only", "-q", __file__], var_dir, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "tests collected" in result.stdout
    assert not var_dir.exists(), "collecting started an embedded server"
