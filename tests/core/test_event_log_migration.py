"""Migration notifications/0003 turns an existing event log into a table partitioned by day, keeping every row
and the id sequence, and back."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
TABLE = "notifications_notification"
COLUMNS = "audience, event_type, notification_type, title, message, priority, data, object_id, channels, is_read"
ROW = "'job_seeker', 'job_posted', '', 't', 'm', 'normal', '{}', '', '{websocket}', false"


def migrate(url: str, *target: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", *target, "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    assert result.returncode == 0, result.stderr.decode()[-3000:]


def insert(conn, age: str) -> int:
    [(event_id,)] = conn.execute(
        f"INSERT INTO {TABLE} ({COLUMNS}, created_at) VALUES ({ROW}, now() - interval '{age}') RETURNING id"
    ).fetchall()
    return event_id


def homes(conn) -> dict[int, str]:
    return dict(conn.execute(f"SELECT id, tableoid::regclass::text FROM {TABLE}").fetchall())


def kind(conn) -> str:
    [(relkind,)] = conn.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [TABLE]).fetchall()
    return relkind


@pytest.mark.e2e
@pytest.mark.django_db
def test_the_event_log_is_partitioned_with_its_rows_and_ids_kept_and_back(empty_schema):
    url = empty_schema
    migrate(url, "notifications", "0002")
    with psycopg.connect(url, autocommit=True) as conn:
        old_ids = [insert(conn, age) for age in ("40 days", "3 days", "1 second")]

    migrate(url, "notifications")

    with psycopg.connect(url, autocommit=True) as conn:
        assert kind(conn) == "p"
        day_of = dict(
            conn.execute(f"SELECT id, to_char(created_at AT TIME ZONE 'UTC', 'YYYYMMDD') FROM {TABLE}").fetchall()
        )
        assert homes(conn) == {event_id: f"{TABLE}_p{day_of[event_id]}" for event_id in old_ids}
        # The sequence goes on from where it was: ids stay monotonic across the migration.
        assert insert(conn, "0 seconds") == old_ids[-1] + 1
        # A row no partition covers is taken by the default partition instead of refused.
        ancient = insert(conn, "400 days")
        assert homes(conn)[ancient] == f"{TABLE}_default"
        [(primary_key,)] = conn.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'",
            [TABLE],
        ).fetchall()
        assert primary_key == "PRIMARY KEY (id, created_at)"
        assert not conn.execute(
            "SELECT 1 FROM pg_constraint WHERE contype = 'f' AND confrelid = %s::regclass", [TABLE]
        ).fetchall()

    migrate(url, "notifications", "0002")

    with psycopg.connect(url, autocommit=True) as conn:
        assert kind(conn) == "r"
        assert set(homes(conn)) == {*old_ids, old_ids[-1] + 1, old_ids[-1] + 2}
        assert insert(conn, "0 seconds") == old_ids[-1] + 3
