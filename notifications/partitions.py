"""The event log's partitions: one per UTC day of `created_at`, made ahead, dropped whole when old.

The table `notifications_notification` is partitioned by range of `created_at` (migration 0003). Daily, because
the retention (KAZI_NOTIFICATION_RETENTION_DAYS, 90 by default) is counted in days: pruning by whole days keeps
a row at most one day past it, and 90-odd partitions is few enough that the planner's pruning stays cheap, while
a reconnect or the sequencer reads one or two small partitions instead of a week's.

A DEFAULT partition takes any row no day partition covers (the beat task was down past the days made ahead, a
row stamped far in the past): an insert never fails for want of a partition. Making a day's partition moves that
day's rows out of the default first, since PostgreSQL refuses to attach a range the default holds rows of.
"""

import contextlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from notifications.models import Notification, NotificationReceipt

TABLE = Notification._meta.db_table
DEFAULT = f"{TABLE}_default"
SPAN = timedelta(days=1)
# Days made ahead of today: the hourly beat task can be down this long before rows land in the default.
AHEAD_DAYS = 7
# Schema changes on the log wait this long for a lock, then give up until the next run, rather than queue every
# event write behind them while a long transaction holds the table.
LOCK_TIMEOUT = "3s"
_NAME = re.compile(rf"^{TABLE}_p(\d{{8}})$")
_RECEIPTS = NotificationReceipt._meta.db_table


@dataclass(frozen=True)
class Partition:
    name: str
    day: date

    @property
    def lower(self) -> datetime:
        return datetime(self.day.year, self.day.month, self.day.day, tzinfo=UTC)

    @property
    def upper(self) -> datetime:
        return self.lower + SPAN

    @property
    def bounds_sql(self) -> str:
        # DDL takes no parameters; these literals come from dates, never from input.
        return f"FROM ('{self.lower.isoformat()}') TO ('{self.upper.isoformat()}')"


def partition_of(day: date) -> Partition:
    return Partition(f"{TABLE}_p{day:%Y%m%d}", day)


def day_start(moment: datetime) -> datetime:
    """The start of the UTC day of `moment`: the lower bound of its partition."""
    return partition_of(moment.astimezone(UTC).date()).lower


def partitions() -> list[Partition]:
    """The day partitions attached now, oldest first (the default is not among them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [TABLE],
        )
        names = [name for (name,) in cursor.fetchall()]
    found = [(match, name) for name in names if (match := _NAME.match(name))]
    return sorted(
        (Partition(name, datetime.strptime(match.group(1), "%Y%m%d").date()) for match, name in found),
        key=lambda partition: partition.day,
    )


def partitions_ensure(*, today: date | None = None, ahead: int = AHEAD_DAYS) -> list[str]:
    """Make the partitions of `today` and the `ahead` days after it that are missing; returns their names."""
    today = today or timezone.now().astimezone(UTC).date()
    present = {partition.day for partition in partitions()}
    made = []
    for offset in range(ahead + 1):
        day = today + timedelta(days=offset)
        if day not in present:
            _partition_create(partition_of(day))
            made.append(partition_of(day).name)
    return made


@transaction.atomic
def _partition_create(partition: Partition) -> None:
    """Create the day's table, move the day's rows the default holds into it, attach it as a partition."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # see _partition_drop
        # Writers wait for the few milliseconds of the move: a row of the day written to the default after the
        # move would make the attach fail. SHARE ROW EXCLUSIVE also keeps two creators apart.
        cursor.execute(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"CREATE TABLE {partition.name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        cursor.execute(
            f"WITH moved AS (DELETE FROM {DEFAULT} WHERE created_at >= %s AND created_at < %s RETURNING *) "
            f"INSERT INTO {partition.name} SELECT * FROM moved",
            [partition.lower, partition.upper],
        )
        # Attaching builds the parent's indexes, primary key and foreign keys on the new table.
        cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {partition.name} FOR VALUES {partition.bounds_sql}")


def highest_id_before(cutoff: datetime) -> int | None:
    """The highest event id of the day partitions that end at or before `cutoff` (what dropping them removes)."""
    names = [partition.name for partition in partitions() if partition.upper <= cutoff]
    if not names:
        return None
    with connection.cursor() as cursor:
        # Each max() is one step down a primary key index.
        tops = " UNION ALL ".join(f"SELECT max(id) AS top FROM {name}" for name in names)
        cursor.execute(f"SELECT max(top) FROM ({tops}) AS tops")
        [(top,)] = cursor.fetchall()
    return top


def partitions_drop_before(cutoff: datetime) -> tuple[int, list[str]]:
    """Detach and drop every day partition that ends at or before `cutoff`; returns the rows dropped and the
    names. A partition whose lock is not had within LOCK_TIMEOUT stays for the next run."""
    rows, dropped = 0, []
    for partition in partitions():
        if partition.upper > cutoff:
            break
        with contextlib.suppress(DatabaseError):
            rows += _partition_drop(partition)
            dropped.append(partition.name)
    return rows, dropped


@transaction.atomic
def _partition_drop(partition: Partition) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        # A caller's own transaction may hold deferred foreign key checks of rows it wrote to the log, and ALTER
        # or DROP refuse a table with pending trigger events: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Receipts point at their broadcasts with no foreign key (a partitioned table's keys include created_at):
        # they go with the partition. Only broadcasts have receipts, found by the partial audience index.
        cursor.execute(
            f"DELETE FROM {_RECEIPTS} WHERE notification_id IN (SELECT id FROM {partition.name} WHERE audience <> '')"
        )
        cursor.execute(f"SELECT count(*) FROM {partition.name}")
        [(rows,)] = cursor.fetchall()
        # In one transaction: a partition detached and then not dropped would be left behind unseen. The parent's
        # lock is held from the detach to the commit, which only unlinks files.
        cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {partition.name}")
        cursor.execute(f"DROP TABLE {partition.name}")
    return rows


def rows_delete_before(cutoff: datetime) -> tuple[int, int | None]:
    """DELETE the rows older than `cutoff` that no dropped partition took: those of the default and of the
    partition `cutoff` falls in. The bound on `created_at` keeps the DELETE to those two partitions."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_RECEIPTS} WHERE notification_id IN "
            f"(SELECT id FROM {TABLE} WHERE created_at < %s AND audience <> '')",
            [cutoff],
        )
        cursor.execute(
            f"WITH gone AS (DELETE FROM {TABLE} WHERE created_at < %s RETURNING id) SELECT count(*), max(id) FROM gone",
            [cutoff],
        )
        [(rows, top)] = cursor.fetchall()
    return rows, top
