"""NotificationBroadcaster: the one way events leave the system (rule 2).

`publish` stores the events in the caller's transaction, so that an event
exists exactly when the change that caused it was committed, and pushes them
to the sockets only after that commit. Ids are taken under a transaction-level
advisory lock, so events commit in id order and a client's `last_event_id`
never jumps over an event that commits later.
"""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from notifications import groups, transport
from notifications.frames import GENERIC, dumps, frame_of, now_iso
from notifications.models import Notification, NotificationPreference, Priority

# From this many rows on, events are written with COPY.
COPY_FROM = 200
# Any fixed 64-bit number: the key of the advisory lock that orders event ids.
_EVENT_ORDER_LOCK = 7_243_001


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
    ) -> list[Notification]:
        """Store one event per user in `user_ids` (or one for `role`) and push them after commit."""
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
        with transaction.atomic():
            self._lock_event_order()
            now = timezone.now()
            muted = self._muted_user_ids(user_ids, event_type, notification_type)
            rows = [
                Notification(
                    recipient_id=uid,
                    created_at=now,
                    is_read=uid in muted,
                    read_at=now if uid in muted else None,
                    **common,
                )
                for uid in user_ids
            ]
            if role:
                rows.append(Notification(audience=role, created_at=now, **common))
            stored = self._insert(rows)
            messages = [(self._group_of(n), self._envelope_of(n)) for n in stored if n.recipient_id not in muted]
            transaction.on_commit(lambda: transport.publish(messages))
        return stored

    def publish_transient(self, *, to_groups: Iterable[str], frame: dict) -> None:
        """Push a frame that is not stored (progress, typing, presence): after commit when in a transaction."""
        frame.setdefault("timestamp", now_iso())
        payload = transport.envelope(frame_text=dumps(frame), event_type=frame["type"])
        messages = [(group, payload) for group in to_groups]
        transaction.on_commit(lambda: transport.publish(messages))

    @staticmethod
    def _insert(rows: list[Notification]) -> list[Notification]:
        if len(rows) < COPY_FROM:
            return Notification.objects.bulk_create(rows)
        # Thousands of rows (one event to each of many users): COPY is several times faster than
        # INSERT, and taking the ids from the sequence first keeps them for the frames.
        table = Notification._meta.db_table
        fields = Notification._meta.concrete_fields
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(rows)]
            )
            for row, (event_id,) in zip(rows, sorted(cursor.fetchall()), strict=True):
                row.id = event_id
            columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in fields]
                    )
        return rows

    @staticmethod
    def _lock_event_order() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_EVENT_ORDER_LOCK])

    @staticmethod
    def _muted_user_ids(user_ids: list[int], event_type: str, notification_type: str) -> set[int]:
        if not user_ids:
            return set()
        keys = [event_type] + ([notification_type] if notification_type else [])
        return set(
            NotificationPreference.objects.filter(user_id__in=user_ids, muted_types__overlap=keys).values_list(
                "user_id", flat=True
            )
        )

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
