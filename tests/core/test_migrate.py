"""`manage.py migrate` on a database made by Kazi 0.1 says what to do instead of failing on a dependency."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _migrate(url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"}
    return subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.e2e
@pytest.mark.django_db
def test_migrate_on_a_0_1_database_says_to_start_anew_and_changes_nothing(empty_schema):
    url = empty_schema
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255), name varchar(255), "
            "applied timestamptz)"
        )
        conn.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES "
            "('matcher', '0001_initial', now()), ('matcher', '0003_resume_import', now())"
        )

    result = _migrate(url)

    assert result.returncode != 0
    assert "made by Kazi 0.1" in result.stderr
    assert "make clean" in result.stderr
    assert "Traceback" not in result.stderr
    with psycopg.connect(url) as conn:
        tables = {row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
    assert tables == {"django_migrations"}
