"""NotificationBroadcaster: the one way events leave the system (rule 2).

`publish` stores the events in the caller's transaction, so that an event
exists exactly when the change that caused it was committed, and pushes them
to the sockets only after that commit. Writers take no lock that another
writer waits for: each marks itself in flight before it takes ids
(event_log.mark_in_flight), and readers deliver and replay only below the
commit horizon that the marks define, so a client's `last_event_id` never
jumps over an event that commits later (docs/realtime.md).
"""

import json
from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models.base import ModelState
from django.utils import timezone
from psycopg.types.json import Jsonb

from core.sql import run_pipelined
from notifications import event_log, groups, transport
from notifications.frames import GENERIC, dumps, frame_of, now_iso
from notifications.models import Notification, NotificationPreference, Priority

# From this many rows on, events are written with COPY.
COPY_FROM = 200


def _copy_text(value):
    """JSON and arrays as COPY text once, instead of adapting the same value for every row."""
    if isinstance(value, Jsonb):
        return json.dumps(value.obj, separators=(",", ":"), default=str)
    if isinstance(value, list):
        quoted = (str(item).replace("\\", "\\\\").replace('"', '\\"') for item in value)
        return "{" + ",".join(f'"{item}"' for item in quoted) + "}"
    return value


_TABLE = Notification._meta.db_table
# Set per row by the writers below; every other field is the same for all rows of one publish.
_PER_ROW = {"id", "recipient_id", "is_read", "read_at"}
_COMMON_FIELDS = [field for field in Notification._meta.concrete_fields if field.attname not in _PER_ROW]
_COMMON_COLUMNS = ", ".join(f'"{field.column}"' for field in _COMMON_FIELDS)
_COMMON_VALUES = ", ".join(f'c."{field.column}"' for field in _COMMON_FIELDS)


def _common_record(proto: Notification) -> str:
    """The fields common to every row of a publish as one JSON object, by column, for jsonb_populate_record."""
    return json.dumps(
        {field.column: getattr(proto, field.attname) for field in _COMMON_FIELDS}, separators=(",", ":"), default=str
    )


def _frame_parts(proto: Notification) -> tuple[str, str]:
    """The frame text of `proto` (id 0) split around its id: each row's frame is the two around its own id."""
    prefix, suffix = dumps(frame_of(proto)).split('"id":0', 1)
    return prefix, suffix


def _rows_and_messages(proto: Notification, now, rows: list[tuple[int, int, bool, bool]]):
    """The stored rows like `proto` and the messages to publish, from (id, recipient, is_read, muted) per row."""
    stored = [
        _stored(proto, id=event_id, recipient_id=uid, is_read=is_read, read_at=now if is_read else None)
        for event_id, uid, is_read, _ in rows
    ]
    return stored, _messages(proto, rows)


def _messages(proto: Notification, rows: list[tuple[int, int, bool, bool]]) -> list[tuple[str, dict]]:
    """The (group, envelope) to publish for each stored row (id, recipient, is_read, muted) that is not muted."""
    prefix, suffix = _frame_parts(proto)
    head = {"t": proto.event_type, "n": proto.notification_type}
    return [
        (groups.user_group(uid), {"id": event_id, **head, "f": f'{prefix}"id":{event_id}{suffix}'})
        for event_id, uid, _, muted in rows
        if not muted
    ]


def _stored(proto: Notification, **values) -> Notification:
    """A saved row like `proto` without running Model.__init__ again (thousands of rows at once)."""
    row = Notification.__new__(Notification)
    row.__dict__.update(proto.__dict__, **values)
    row._state = ModelState()
    row._state.adding, row._state.db = False, connection.alias
    return row


def _common(event_type, notification_type, title, message, priority, payload, expires_at, related) -> dict:
    """The fields of every row of one publish; `related` a model instance or (model, primary key)."""
    common = dict(
        event_type=event_type,
        notification_type=notification_type,
        title=title[:200],
        message=message,
        priority=priority,
        data=payload or {},
        expires_at=expires_at,
        channels=["websocket"],
    )
    if related is not None:
        model, pk = related if isinstance(related, tuple) else (related, related.pk)
        common.update(content_type=ContentType.objects.get_for_model(model), object_id=str(pk))
    return common


def _few_statement(proto: Notification, user_ids: list[int], read_by: set[int], kinds: list[str]):
    """One INSERT of an event like `proto` for each user that reads who muted this kind itself, stores every row
    (theirs read) and returns them as (id, recipient, is_read, muted), oldest first. No model instance and no
    field adaptation per row or per field: the fields common to all rows travel as one JSON record, the frame is
    made once, and only the id, the recipient and the read state differ. It takes ids: run it after the mark."""
    return (
        f"WITH muted AS MATERIALIZED (SELECT user_id FROM {NotificationPreference._meta.db_table} "
        "WHERE user_id = ANY(%s::integer[]) AND muted_types && %s::varchar[]), "
        f"stored AS (INSERT INTO {_TABLE} (recipient_id, is_read, read_at, {_COMMON_COLUMNS}) "
        f"SELECT uid, read, CASE WHEN read THEN %s::timestamptz END, {_COMMON_VALUES} "
        f"FROM jsonb_populate_record(NULL::{_TABLE}, %s::jsonb) AS c, "
        "(SELECT uid, uid = ANY(%s::integer[]) OR uid IN (SELECT user_id FROM muted) AS read "
        "FROM unnest(%s::integer[]) AS uid) AS r RETURNING id, recipient_id, is_read) "
        "SELECT id, recipient_id, is_read, recipient_id IN (SELECT user_id FROM muted) FROM stored ORDER BY id",
        [user_ids, kinds, proto.created_at, _common_record(proto), list(read_by), user_ids],
    )


class StagedEvents:
    """Events staged by NotificationBroadcaster.stage(): `statement` to run, then messages(its rows) to publish."""

    def __init__(self, proto: Notification, statement: tuple[str, list]) -> None:
        self.proto, self.statement = proto, statement

    def messages(self, rows: list[tuple[int, int, bool, bool]]) -> list[tuple[str, dict]]:
        return _messages(self.proto, rows)


class NotificationBroadcaster:
    def publish(
        self,
        *,
        event_type: str,
        payload: dict | None = None,
        user_ids: Iterable[int] = (),
        role: str = "",
        message: str = "",
        title: str = "",
        notification_type: str = "",
        priority: str = Priority.NORMAL,
        related: models.Model | None = None,
        expires_at: datetime | None = None,
        read_by: Iterable[int] = (),
    ) -> list[Notification]:
        """Store one event per user in `user_ids` (or one for `role`) and push them after commit.

        `read_by`: recipients whose copy is stored already read but still delivered (the sender of a
        chat message: their other tabs show it, their unread count does not grow)."""
        if event_type == GENERIC and not notification_type:
            raise ValueError("a generic notification needs a notification_type")
        user_ids = list(dict.fromkeys(user_ids))
        if not user_ids and not role:
            return []
        common = _common(event_type, notification_type, title, message, priority, payload, expires_at, related)
        # No savepoint of its own inside the caller's transaction (two round trips): a failure here fails the
        # caller's transaction anyway, as the store must.
        with transaction.atomic(savepoint=False):
            stored, messages = self._store(user_ids, role, set(read_by), common)
            transaction.on_commit(lambda: transport.publish(messages))
        return stored

    def _store(self, user_ids: list[int], role: str, read_by: set[int], common: dict):
        """The stored rows and the (group, envelope) messages to publish after commit: muted recipients' copies
        are stored read and not pushed."""
        now = timezone.now()
        kinds = [common["event_type"]] + ([common["notification_type"]] if common["notification_type"] else [])
        if 0 < len(user_ids) < COPY_FROM:
            stored, messages = self._store_few(user_ids, read_by, now, common, kinds)
        else:
            # Marked in flight before any id is taken (docs/realtime.md), in the statement that reads the muted.
            muted = self._mark_and_muted(user_ids, kinds)
            stored, messages = self._store_many(user_ids, muted, muted | read_by, now, common) if user_ids else ([], [])
        if role:
            [broadcast] = Notification.objects.bulk_create([Notification(audience=role, created_at=now, **common)])
            stored.append(broadcast)
            messages.append((self._group_of(broadcast), self._envelope_of(broadcast)))
        return stored, messages

    @staticmethod
    def _store_few(user_ids: list[int], read_by: set[int], now, common: dict, kinds: list[str]):
        """Events to a few users (a chat message's participants) in one round trip: two statements pipelined, the
        mark first, so it is granted before the second one takes ids (docs/realtime.md); see _few_statement."""
        proto = Notification(id=0, recipient_id=0, created_at=now, **common)
        _, rows = run_pipelined(event_log.mark_statement(), _few_statement(proto, user_ids, read_by, kinds))
        return _rows_and_messages(proto, now, rows)

    def stage(
        self,
        *,
        event_type: str,
        payload: dict,
        user_ids: list[int],
        related: tuple[type[models.Model], object],
        read_by: Iterable[int] = (),
        message: str = "",
        title: str = "",
        notification_type: str = "",
    ) -> "StagedEvents":
        """publish() of one event to each of a few users, as a statement for a transaction that the caller sends
        itself (core.sql.pipelined_transaction), in its own round trips: the caller runs it after
        event_log.mark_statement() (the mark first, as publish does), hands its rows to StagedEvents.messages(),
        and publishes those with transport.publish() once it has committed. `related` is (model, primary key)."""
        if not 0 < len(user_ids) < COPY_FROM:
            raise ValueError("stage() is for one event to each of a few users; publish() the others")
        common = _common(event_type, notification_type, title, message, Priority.NORMAL, payload, None, related)
        proto = Notification(id=0, recipient_id=0, created_at=timezone.now(), **common)
        kinds = [event_type] + ([notification_type] if notification_type else [])
        return StagedEvents(proto, _few_statement(proto, list(dict.fromkeys(user_ids)), set(read_by), kinds))

    def publish_transient(self, *, to_groups: Iterable[str], frame: dict) -> None:
        """Push a frame that is not stored (progress, typing, presence): after commit when in a transaction."""
        self.publish_transients([(to_groups, frame)])

    def publish_transients(self, frames: list[tuple[Iterable[str], dict]]) -> None:
        """publish_transient of many frames (each to its groups) in one Redis round trip."""
        messages = []
        for to_groups, frame in frames:
            frame.setdefault("timestamp", now_iso())
            payload = transport.envelope(frame_text=dumps(frame), event_type=frame["type"])
            messages.extend((group, payload) for group in to_groups)
        if messages:
            transaction.on_commit(lambda: transport.publish(messages))

    @staticmethod
    def _store_many(user_ids: list[int], muted: set[int], read: set[int], now, common: dict):
        """One event to each of many users: COPY instead of INSERT, and the fields and the frame
        prepared once for all rows; only the id, the recipient and the read state differ."""
        table = Notification._meta.db_table
        fields = Notification._meta.concrete_fields
        proto = Notification(id=0, recipient_id=0, created_at=now, **common)
        prepared = [_copy_text(field.get_db_prep_save(getattr(proto, field.attname), connection)) for field in fields]
        slot = {field.attname: index for index, field in enumerate(fields)}
        prefix, suffix = _frame_parts(proto)
        head = {"t": proto.event_type, "n": proto.notification_type}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(user_ids)]
            )
            ids = sorted(event_id for (event_id,) in cursor.fetchall())
            columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
            stored, messages = [], []
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for event_id, uid in zip(ids, user_ids, strict=True):
                    is_read = uid in read
                    values = prepared.copy()
                    values[slot["id"]], values[slot["recipient_id"]] = event_id, uid
                    values[slot["is_read"]], values[slot["read_at"]] = is_read, now if is_read else None
                    copy.write_row(values)
                    stored.append(
                        _stored(proto, id=event_id, recipient_id=uid, is_read=is_read, read_at=now if is_read else None)
                    )
                    if uid not in muted:
                        frame_text = f'{prefix}"id":{event_id}{suffix}'
                        messages.append((groups.user_group(uid), {"id": event_id, **head, "f": frame_text}))
        return stored, messages

    @staticmethod
    def _mark_and_muted(user_ids: list[int], keys: list[str]) -> set[int]:
        """Mark the transaction in flight, and read which of the users muted this kind, in one statement."""
        mark, params = event_log.mark_expression()
        # One array parameter, not thousands of IN placeholders to build and parse.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {mark}, ARRAY(SELECT user_id FROM {NotificationPreference._meta.db_table} "
                "WHERE user_id = ANY(%s) AND muted_types && %s::varchar[])",
                [*params, user_ids, keys],
            )
            [(_, muted)] = cursor.fetchall()
        return set(muted)

    @staticmethod
    def _group_of(notification: Notification) -> str:
        if notification.recipient_id:
            return groups.user_group(notification.recipient_id)
        return groups.role_group(notification.audience)

    @staticmethod
    def _envelope_of(notification: Notification) -> bytes:
        return transport.envelope(
            frame_text=dumps(frame_of(notification)),
            event_type=notification.event_type,
            event_id=notification.pk,
            notification_type=notification.notification_type,
        )


broadcaster = NotificationBroadcaster()
