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


def _stored(proto: Notification, **values) -> Notification:
    """A saved row like `proto` without running Model.__init__ again (thousands of rows at once)."""
    row = Notification.__new__(Notification)
    row.__dict__.update(proto.__dict__, **values)
    row._state = ModelState()
    row._state.adding, row._state.db = False, connection.alias
    return row


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
            common.update(content_type=ContentType.objects.get_for_model(related), object_id=str(related.pk))
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
        # Marked in flight before any id is taken (docs/realtime.md), in the statement that reads the muted.
        muted = self._mark_and_muted(user_ids, common["event_type"], common["notification_type"])
        read = muted | read_by
        if len(user_ids) >= COPY_FROM:
            stored, messages = self._store_many(user_ids, muted, read, now, common)
        else:
            stored = Notification.objects.bulk_create(
                Notification(
                    recipient_id=uid,
                    created_at=now,
                    is_read=uid in read,
                    read_at=now if uid in read else None,
                    **common,
                )
                for uid in user_ids
            )
            messages = [(self._group_of(n), self._envelope_of(n)) for n in stored if n.recipient_id not in muted]
        if role:
            [broadcast] = Notification.objects.bulk_create([Notification(audience=role, created_at=now, **common)])
            stored.append(broadcast)
            messages.append((self._group_of(broadcast), self._envelope_of(broadcast)))
        return stored, messages

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
        prefix, suffix = dumps(frame_of(proto)).split('"id":0', 1)
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
    def _mark_and_muted(user_ids: list[int], event_type: str, notification_type: str) -> set[int]:
        """Mark the transaction in flight, and read which of the users muted this kind, in one statement."""
        mark, params = event_log.mark_expression()
        keys = [event_type] + ([notification_type] if notification_type else [])
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
