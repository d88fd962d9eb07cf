"""The commit horizon of the event log: how far every event id is final (docs/realtime.md).

Event ids come from one sequence, and writers commit in any order. A writer marks itself in flight,
before it takes an id, with a transaction-level shared advisory lock whose key carries a lower bound
of the ids it will take (the sequence's next value). The marks never conflict, so writers never wait
for each other, and PostgreSQL drops a mark when its transaction ends, however it ends (commit,
rollback, a killed process).

`horizon()` reads the sequence, then the marks: every id at or below the result is final, committed
and visible to any later statement, or never to be committed. Readers deliver and replay ids only up
to a horizon, so nothing that commits later can have a lower id than what a client was sent.
"""

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from notifications import groups, transport
from notifications.frames import dumps, frame_of
from notifications.models import Notification

# The high 16 bits of a mark's 64-bit key ("KZ"): pg_locks shows them in `classid` above the id's high bits.
_MARK_TAG = 0x4B5A
_TAG_SHIFT = 48
_TABLE = Notification._meta.db_table
_SEQUENCE = f"pg_get_serial_sequence('{_TABLE}', 'id')::regclass"
# How much older an event may be stamped than one with a lower id: `created_at` is the publishing process's
# clock, read before its id is taken, in a transaction that may stay open a while before it commits. Reads that
# start from an id bound `created_at` by the stamp of that id less this, so that PostgreSQL reads only the
# log's partitions from there on (notifications/partitions.py) and never misses a late-committing event.
CLOCK_SLACK = timedelta(days=1)


def recent_floor() -> datetime:
    """A lower bound of the stamps of events that commit from now on."""
    return timezone.now() - CLOCK_SLACK


def recent_window() -> tuple[datetime, datetime]:
    """Bounds of the stamps of events that commit from now on: recent_floor(), and as far ahead (a publisher's
    clock ahead of this one). The upper bound leaves out the partitions made ahead for the coming days."""
    now = timezone.now()
    return now - CLOCK_SLACK, now + CLOCK_SLACK


def floor_after(event_id: int) -> datetime | None:
    """A lower bound of the stamps of the events with ids above `event_id`: None when that event is gone (deleted,
    pruned) and nothing bounds them. The lookup tries the last day's partitions first, where a reconnect's last
    id nearly always is, before probing every partition's primary key."""
    events = Notification.objects.filter(id=event_id).values_list("created_at", flat=True)
    stamp = events.filter(created_at__gte=recent_floor()).first() or events.first()
    return None if stamp is None else stamp - CLOCK_SLACK


def mark_in_flight() -> None:
    """In the writer's transaction, before it takes ids: a mark whose key is at most any id it takes.

    The key is read from the sequence before the lock and the ids after it, so it can only be lower."""
    with connection.cursor() as cursor:
        cursor.execute(*mark_statement())


def mark_expression() -> tuple[str, list]:
    """mark_in_flight as an SQL expression and its parameters, for a writer that runs a statement before it takes
    ids anyway (one round trip less on every publish)."""
    return (
        f"pg_advisory_xact_lock_shared(%s + COALESCE(pg_sequence_last_value({_SEQUENCE}), 0) + 1)",
        [_MARK_TAG << _TAG_SHIFT],
    )


def mark_statement() -> tuple[str, list]:
    """mark_in_flight as a statement and its parameters, for a writer that sends it with others in one round trip
    (pipelined, before the statement that takes ids)."""
    sql, params = mark_expression()
    return f"SELECT {sql}", params


def _cursor(reader):
    """A cursor of `reader` (a psycopg connection of the caller's own), else of Django's connection."""
    return reader.cursor() if reader is not None else connection.cursor()


_LAST_ID = f"SELECT COALESCE(pg_sequence_last_value({_SEQUENCE}), 0)"
_OLDEST_MARK = (
    "SELECT min(((classid::bigint & 65535) << 32) | objid::bigint) FROM pg_locks "
    # Advisory locks are per database, pg_locks shows the whole cluster's.
    "WHERE locktype = 'advisory' AND objsubid = 1 AND (classid::bigint >> 16) = %s "
    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
)


def _final(last: int, oldest: int | None) -> int:
    return last if oldest is None else min(last, oldest - 1)


def horizon(reader=None) -> int:
    """The highest id H such that every event id <= H is final.

    Two statements, in this order: an id the first one counts was taken after its writer's mark was
    made, so the second one sees that mark unless the writer has ended; and a writer's commit is
    visible before its locks go. Never call it in a transaction that has published: its own mark
    would hold the horizon below its own events."""
    with _cursor(reader) as cursor:
        cursor.execute(_LAST_ID)
        [(last,)] = cursor.fetchall()
        cursor.execute(_OLDEST_MARK, [_MARK_TAG])
        [(oldest,)] = cursor.fetchall()
    return _final(last, oldest)


@dataclass(frozen=True)
class Committed:
    id: int
    group: str


def final_after(after_id: int, at_most: int, reader) -> tuple[int, list[Committed]]:
    """The horizon H (at most `at_most`) and the events committed with an id in (after_id, H], oldest first, with
    the group each is pushed to: the sequencer's pass, in one round trip on `reader` (a psycopg connection).

    The horizon's two statements and the read are pipelined, in this order, each with a snapshot of its own
    (read committed): the read starts after the horizon's second statement, as a read after horizon() would, so
    an id up to H that it does not return was never committed. H is not known when the read is sent: it reads
    up to `at_most`, and what it returns above H (possibly not final) is dropped. Prepared on the reader's
    connection, and bounded to the recent days' partitions on both sides, so that it is not planned again for
    every partition of the log on every pass."""
    floor, ceiling = recent_window()
    with reader.pipeline():
        last = reader.execute(_LAST_ID, prepare=True)
        oldest = reader.execute(_OLDEST_MARK, [_MARK_TAG], prepare=True)
        rows = reader.execute(
            f"SELECT id, recipient_id, audience FROM {_TABLE} WHERE id > %s AND id <= %s "
            "AND created_at >= %s AND created_at < %s ORDER BY id",
            [after_id, at_most, floor, ceiling],
            prepare=True,
        )
    final = min(_final(last.fetchone()[0], oldest.fetchone()[0]), at_most)
    return final, [
        Committed(event_id, groups.user_group(recipient) if recipient else groups.role_group(audience))
        for event_id, recipient, audience in rows.fetchall()
        if event_id <= final
    ]


def connect_reader():
    """A connection of its own (autocommit, outside Django's pool) for a reader that must not queue behind
    requests for a pooled one: the hub's sequencer, whose reads every delivery waits for."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    return connection.Database.connect(**params, autocommit=True)


def close_reader(reader) -> None:
    with contextlib.suppress(Exception):
        reader.close()


def envelopes_of(ids: list[int]) -> dict[int, dict]:
    """The envelopes of stored events, as their publisher made them: for the ones that never arrived over Redis."""
    return {
        event.pk: transport.envelope(
            frame_text=dumps(frame_of(event)),
            event_type=event.event_type,
            event_id=event.pk,
            notification_type=event.notification_type,
        )
        for event in Notification.objects.filter(id__in=ids, created_at__range=recent_window())
    }
