"""The partitioned event log (notifications/partitions.py): pruning by DROP against DELETE, and replay with a big log.

Not a test: it prints figures and never fails on time. See bench/README.md.

    .venv/bin/python bench/event_log.py                                  # 10M rows pruned, a 50M-row log
    .venv/bin/python bench/event_log.py --prune-rows 1000000 --log-rows 2000000   # a quick look

It makes a database of its own (`--database`, migrated like any Kazi database) and drops it at the end.
Rows are made in SQL (INSERT ... SELECT generate_series): each day's rows go into a table of their own, which is
then attached as that day's partition, so PostgreSQL builds each index once instead of row by row.

1. **Prune.** `--prune-rows` rows stamped over 10 days past the retention, plus a tenth as many recent ones to
   keep, twice: in an unpartitioned copy of the log with the indexes the log had before migration 0003, removed
   with `DELETE ... WHERE created_at < cutoff` (what the old prune's ORM delete comes down to, without the
   fetch of every id that Django's cascade to receipts added), and then `VACUUM` (the space a DELETE leaves is
   only reusable after it); and in the partitioned log, removed by `notifications_prune` (horizon, receipts,
   DETACH + DROP of each day partition).
2. **Replay.** For each size of `--log-rows`: the log filled with that many rows over the retention's days for
   `--users` users, then one user gets 20 new events and reconnects with the id of the first as last_event_id.
   `selectors.replay_after` is timed (median and p95 of `--repeat` runs, the lookup of the last id's stamp
   included), beside the same query without the bound on `created_at` from the last id (every partition), with
   the partitions each plan reads (EXPLAIN).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
TABLE = "notifications_notification"
COLUMNS = (
    "id, audience, event_type, notification_type, title, message, priority, data, object_id, channels, is_read, "
    "created_at, recipient_id"
)
# One chat message event a row, a recipient among the users, one in three read; stamps spread over [lo, hi).
ROWS_SQL = """
INSERT INTO {table} ({columns})
SELECT nextval('{sequence}'), '', 'new_message', '', 'New message from a recruiter',
       'Thanks for applying, could we talk on Thursday about the role and the next steps?', 'normal',
       jsonb_build_object('conversation_id', g %% 977, 'n', g), '', ARRAY['websocket']::varchar[], g %% 3 = 0,
       %(lo)s::timestamptz + (%(hi)s::timestamptz - %(lo)s::timestamptz) * (g::float8 / %(rows)s),
       %(first_user)s + g %% %(users)s
FROM generate_series(0, %(rows)s - 1) AS g
"""


def rows_sql(table: str) -> str:
    return ROWS_SQL.format(table=table, columns=COLUMNS, sequence=f"{TABLE}_id_seq")


# The indexes of the log before migration 0003 (a plain table, its key the id alone).
PLAIN_INDEXES = (
    "ALTER TABLE {t} ADD PRIMARY KEY (id)",
    "CREATE INDEX ON {t} (audience, id DESC) WHERE NOT audience = ''",
    "CREATE INDEX ON {t} (recipient_id, id DESC)",
    "CREATE INDEX ON {t} (recipient_id, is_read) WHERE NOT is_read",
    "CREATE INDEX ON {t} (content_type_id)",
    "CREATE INDEX ON {t} (created_at)",
    "CREATE INDEX ON {t} (recipient_id)",
)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="kazi_log_bench")
    parser.add_argument("--prune-rows", type=int, default=10_000_000)
    parser.add_argument("--log-rows", default="50000000", help="comma list of log sizes for the replay")
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="leave the database for a look afterwards")
    return parser.parse_args()


def database_url(admin_url: str, name: str) -> str:
    return admin_url.rsplit("/", 1)[0] + "/" + name


def create_database(args) -> str:
    with psycopg.connect(args.admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {args.database}")
        admin.execute(f"CREATE DATABASE {args.database}")
    url = database_url(args.admin_url, args.database)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    return url


def drop_database(args) -> None:
    with psycopg.connect(args.admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("KAZI_DB_POOL_SIZE", "0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_users(count: int) -> int:
    """`count` users with consecutive ids; returns the first id."""
    from accounts.models import User

    joined = datetime.now(UTC) - timedelta(days=400)
    users = User.objects.bulk_create(
        User(email=f"bench{i}@example.com", user_type="job_seeker", password="!", date_joined=joined)
        for i in range(count)
    )
    return min(user.pk for user in users)


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def fill_day(cursor, day, rows: int, first_user: int, users: int) -> None:
    """`rows` rows of one UTC day, as that day's partition: loaded with no index, then attached (indexes built)."""
    from notifications import partitions

    partition = partitions.partition_of(day)
    name = partition.name
    cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    # A constraint that proves the range, so that the attach does not scan the rows to check it.
    cursor.execute(
        f"ALTER TABLE {name} ADD CONSTRAINT {name}_range "
        f"CHECK (created_at >= '{partition.lower.isoformat()}' AND created_at < '{partition.upper.isoformat()}')"
    )
    cursor.execute(
        rows_sql(name),
        {"lo": partition.lower, "hi": partition.upper, "rows": rows, "first_user": first_user, "users": users},
    )
    cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES {partition.bounds_sql}")
    cursor.execute(f"ALTER TABLE {name} DROP CONSTRAINT {name}_range")


def fill_days(days: list, rows: int, first_user: int, users: int) -> float:
    """Spread `rows` over `days` (none of which has a partition yet); returns seconds taken."""
    from django.db import connection

    started = time.perf_counter()
    per_day = rows // len(days)
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for index, day in enumerate(days):
            fill_day(cursor, day, per_day + (rows % len(days) if index == 0 else 0), first_user, users)
        cursor.execute(f"ANALYZE {TABLE}")
    return time.perf_counter() - started


def prune_plain(cursor, rows: int, first_user: int, users: int, cutoff: datetime) -> dict:
    """The old way: one unpartitioned table, DELETE of the old rows, then VACUUM."""
    table = "bench_plain_log"
    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(f"CREATE TABLE {table} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    old_lo = cutoff - timedelta(days=10)
    params = {"first_user": first_user, "users": users}
    cursor.execute(rows_sql(table), {**params, "lo": old_lo, "hi": cutoff, "rows": rows})
    now = datetime.now(UTC)
    cursor.execute(rows_sql(table), {**params, "lo": now - timedelta(days=1), "hi": now, "rows": rows // 10})
    for statement in PLAIN_INDEXES:
        cursor.execute(statement.format(t=table))
    cursor.execute(f"VACUUM ANALYZE {table}")
    started = time.perf_counter()
    cursor.execute(f"DELETE FROM {table} WHERE created_at < %s", [cutoff])
    deleted = cursor.rowcount
    delete_seconds = time.perf_counter() - started
    started = time.perf_counter()
    cursor.execute(f"VACUUM {table}")
    vacuum_seconds = time.perf_counter() - started
    cursor.execute(f"DROP TABLE {table}")
    return {"rows": deleted, "delete": delete_seconds, "vacuum": vacuum_seconds}


def prune_partitioned(rows: int, first_user: int, users: int, cutoff: datetime) -> dict:
    """The new way: the same rows in day partitions past the retention, removed by notifications_prune; then the
    same rows again, removed by DETACH + DROP alone (what the prune adds to it: the exact count of the rows,
    the horizon, the receipts)."""
    from django.db import connection

    from notifications import partitions
    from notifications.services import notifications_prune

    old_days = [(cutoff - timedelta(days=offset)).date() for offset in range(10, 0, -1)]
    fill_days(old_days, rows, first_user, users)
    now = datetime.now(UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            rows_sql(TABLE),
            {"lo": now - timedelta(hours=1), "hi": now, "rows": rows // 10, "first_user": first_user, "users": users},
        )
    before = len(partitions.partitions())
    started = time.perf_counter()
    removed = notifications_prune(older_than=cutoff)
    seconds = time.perf_counter() - started
    dropped = before - len(partitions.partitions())
    fill_days(old_days, rows, first_user, users)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for partition in partitions.partitions():
            if partition.upper <= cutoff:
                cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {partition.name}")
                cursor.execute(f"DROP TABLE {partition.name}")
    bare = time.perf_counter() - started
    return {"rows": removed, "drop": seconds, "bare_drop": bare, "partitions_dropped": dropped}


def scanned_partitions(queryset) -> int:
    def walk(node):
        name = node.get("Relation Name", "")
        if name.startswith(f"{TABLE}_p") or name == f"{TABLE}_default":
            yield name
        for child in node.get("Plans", []):
            yield from walk(child)

    [plan] = json.loads(queryset.explain(format="json"))
    return len(set(walk(plan["Plan"])))


def replay_figures(user, after_id: int, repeat: int) -> dict:
    from notifications import event_log, selectors

    def run():
        return selectors.replay_after(user, after_id)

    replayed = len(run())
    bounded = sorted(timed(run) for _ in range(repeat))
    bounded_plan = scanned_partitions(selectors.replay_queryset(user, after_id, up_to=None, muted=[]))
    lookup = event_log.floor_after
    event_log.floor_after = lambda _event_id: None  # the same query with no bound on created_at
    try:
        unbounded = sorted(timed(run) for _ in range(repeat))
        unbounded_plan = scanned_partitions(selectors.replay_queryset(user, after_id, up_to=None, muted=[]))
    finally:
        event_log.floor_after = lookup
    return {
        "replayed": replayed,
        "bounded": bounded,
        "bounded_plan": bounded_plan,
        "unbounded": unbounded,
        "unbounded_plan": unbounded_plan,
    }


def reset_log() -> None:
    """Every day partition dropped, the default emptied: an empty log with today's partitions made again."""
    from django.db import connection

    from notifications import partitions

    with connection.cursor() as cursor:
        for partition in partitions.partitions():
            cursor.execute(f"DROP TABLE {partition.name}")
        cursor.execute(f"TRUNCATE {partitions.DEFAULT}")
    partitions.partitions_ensure()


def replay_at(size: int, first_user: int, users: int, repeat: int) -> dict:
    from django.conf import settings

    from accounts.models import User
    from notifications import partitions
    from notifications.broadcaster import broadcaster

    reset_log()
    today = datetime.now(UTC).date()
    days = [today - timedelta(days=offset) for offset in range(settings.KAZI_NOTIFICATION_RETENTION_DAYS, 0, -1)]
    fill_seconds = fill_days(days, size, first_user, users)
    user = User.objects.get(pk=first_user + 7)
    events = [
        broadcaster.publish(user_ids=[user.pk], event_type="notification", notification_type="info", message=f"{n}")
        for n in range(20)
    ]
    figures = replay_figures(user, events[0][0].pk, repeat)
    return {"size": size, "fill": fill_seconds, "partitions": len(partitions.partitions()), **figures}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def p95(values: list[float]) -> float:
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def report_prune(plain: dict, partitioned: dict) -> None:
    print(f"\nprune of {plain['rows']:,} rows (10 days past the retention; a tenth as many recent rows kept)")
    print(f"  DELETE (unpartitioned log)     {plain['delete']:8.2f} s   + VACUUM {plain['vacuum']:.2f} s")
    print(
        f"  DROP ({partitioned['partitions_dropped']} day partitions)      {partitioned['drop']:8.2f} s   "
        f"({partitioned['rows']:,} rows; notifications_prune, horizon and receipts included)"
    )
    print(f"  DETACH + DROP alone, same rows {partitioned['bare_drop']:8.2f} s")
    print(
        f"  DELETE / notifications_prune   {plain['delete'] / partitioned['drop']:8.0f} ×   "
        f"(DELETE + VACUUM / it: {(plain['delete'] + plain['vacuum']) / partitioned['drop']:.0f} ×; "
        f"DELETE / DETACH + DROP alone: {plain['delete'] / partitioned['bare_drop']:.0f} ×)"
    )


def report_replay(figures: dict) -> None:
    bounded, unbounded = figures["bounded"], figures["unbounded"]
    print(
        f"\nreplay of {figures['replayed']} events with {figures['size']:,} rows in the log "
        f"({figures['partitions']} day partitions; filled in {figures['fill']:.0f} s)"
    )
    print(
        f"  bounded by the last id's stamp   median {ms(statistics.median(bounded))}, p95 {ms(p95(bounded))}, "
        f"reads {figures['bounded_plan']} partitions"
    )
    print(
        f"  no bound on created_at           median {ms(statistics.median(unbounded))}, p95 {ms(p95(unbounded))}, "
        f"reads {figures['unbounded_plan']} partitions"
    )


def main() -> None:
    args = arguments()
    started = time.perf_counter()
    url = create_database(args)
    try:
        setup_django(url)
        from django.conf import settings
        from django.db import connection

        from notifications import partitions

        first_user = make_users(args.users)
        cutoff = partitions.day_start(datetime.now(UTC) - timedelta(days=settings.KAZI_NOTIFICATION_RETENTION_DAYS))
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            plain = prune_plain(cursor, args.prune_rows, first_user, args.users, cutoff) if args.prune_rows else None
        if plain:
            report_prune(plain, prune_partitioned(args.prune_rows, first_user, args.users, cutoff))
        for size in (int(part) for part in args.log_rows.split(",") if part):
            report_replay(replay_at(size, first_user, args.users, args.repeat))
        print(f"\n(total {time.perf_counter() - started:.0f} s)")
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(args)


if __name__ == "__main__":
    main()
