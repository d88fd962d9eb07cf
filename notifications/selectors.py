"""Reads of stored events: a user's list, unread count, and replay after an id."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Case, Exists, Max, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from notifications import event_log, partitions
from notifications.frames import dumps, frame_of
from notifications.models import EventLogHorizon, Notification, NotificationPreference, NotificationReceipt


def audiences_of(user) -> list[str]:
    """The roles whose broadcasts a user receives."""
    return [user.user_type] if user.user_type else []


def muted_types_of(user) -> list[str]:
    return list(NotificationPreference.objects.filter(user=user).values_list("muted_types", flat=True).first() or [])


def _visible(user) -> Q:
    personal = Q(recipient_id=user.pk)
    broadcast = Q(audience__in=audiences_of(user), created_at__gte=user.date_joined)
    return personal | broadcast


def retention_floor():
    """The oldest stamp a listed event may have: the daily prune's cutoff (prune_old_notifications). The log's
    partitions before it are left unread even on a day the prune has not run yet."""
    return partitions.day_start(timezone.now() - timedelta(days=settings.KAZI_NOTIFICATION_RETENTION_DAYS))


def notifications_for(user, *, muted: list[str] | None = None) -> QuerySet[Notification]:
    """The user's events within the retention, newest first, each annotated with the user's own `read`.

    The bound on `created_at` (the log's partition key) keeps the read to the retention's partitions."""
    return _events_of(user, muted=muted).filter(created_at__gte=retention_floor())


def _events_of(user, *, muted: list[str] | None = None) -> QuerySet[Notification]:
    """The user's stored events, with no bound on their age, each annotated with the user's own `read`."""
    muted = muted_types_of(user) if muted is None else muted
    receipts = NotificationReceipt.objects.filter(notification=OuterRef("pk"), user_id=user.pk)
    # A broadcast the user muted, or one that is news for everyone (KAZI_AMBIENT_EVENT_TYPES: a new job), is
    # never unread: the count is of what concerns the person (docs/websocket-protocol.md).
    quiet = [*muted, *settings.KAZI_AMBIENT_EVENT_TYPES]
    muted_broadcast = Q(recipient__isnull=True) & (Q(event_type__in=quiet) | Q(notification_type__in=muted))
    return (
        Notification.objects.filter(_visible(user))
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .exclude(Exists(receipts.filter(deleted_at__isnull=False)))
        .annotate(
            read=Case(
                When(recipient_id=user.pk, then="is_read"),
                When(muted_broadcast, then=Value(True)),
                default=Exists(receipts.filter(read_at__isnull=False)),
                output_field=BooleanField(),
            )
        )
        .order_by("-id")
    )


def unread_count(user) -> int:
    return notifications_for(user).filter(read=False).count()


def latest_event_id(user, *, up_to: int | None = None) -> int:
    """The newest event id of the user (at or below `up_to`, a commit horizon): two index-only lookups instead
    of one OR over the whole log."""
    below = Q() if up_to is None else Q(id__lte=up_to)
    personal = Notification.objects.filter(below, recipient_id=user.pk).aggregate(top=Max("id"))["top"] or 0
    broadcast = (
        Notification.objects.filter(below, audience__in=audiences_of(user), created_at__gte=user.date_joined).aggregate(
            top=Max("id")
        )["top"]
        or 0
    )
    return max(personal, broadcast)


class ResyncRequired(Exception):
    def __init__(self, latest_id: int):
        super().__init__(f"replay impossible; resync to {latest_id}")
        self.latest_id = latest_id


@dataclass(frozen=True)
class ReplayedEvent:
    id: int
    frame_text: str
    kinds: frozenset[str]  # the event type, and the notification_type of a generic one


def replay_after(user, after_id: int, *, up_to: int | None = None, limit: int | None = None) -> list[ReplayedEvent]:
    """Every event of the user with after_id < id <= up_to, oldest first, as the frames that were pushed.

    `up_to` is a commit horizon (event_log.horizon, or the hub's cursor): above it an event with a lower id
    may still commit, so a socket takes those live, in order, from the hub.
    Raises ResyncRequired when events after `after_id` may have been pruned, or
    when there are more than `limit`: a partial replay would leave a silent gap.
    """
    limit = limit or settings.KAZI_REPLAY_MAX_EVENTS
    horizon = EventLogHorizon.objects.filter(pk=1).values_list("pruned_through_id", flat=True).first() or 0
    if after_id < horizon:
        raise ResyncRequired(latest_event_id(user, up_to=up_to))
    muted = muted_types_of(user)
    rows = list(replay_queryset(user, after_id, up_to=up_to, muted=muted)[: limit + 1])
    if len(rows) > limit:
        raise ResyncRequired(latest_event_id(user, up_to=up_to))
    return [ReplayedEvent(row.pk, dumps(frame_of(row)), _kinds(row)) for row in rows]


def replay_queryset(user, after_id: int, *, up_to: int | None, muted: list[str]) -> QuerySet[Notification]:
    """The events replay_after reads, bounded in `created_at` from the stamp of `after_id` so that only the
    partitions of the log from there on are read (event_log.floor_after). Not by the retention: an event past it
    that the prune has not removed yet is still owed to a client whose last id is older (after the prune, the
    pruned point sends that client a resync instead)."""
    since = event_log.floor_after(after_id) if after_id else None
    return (
        _events_of(user, muted=muted)
        .filter(Q() if since is None else Q(created_at__gte=since))
        .filter(id__gt=after_id)
        .filter(Q() if up_to is None else Q(id__lte=up_to))
        # Muted events were stored as read and never pushed; replay matches what live sends.
        .exclude(Q(event_type__in=muted) | Q(notification_type__in=muted))
        .order_by("id")
    )


def _kinds(notification) -> frozenset[str]:
    return frozenset({notification.event_type, notification.notification_type or notification.event_type})


# Every server → client type of the contract that a `subscribe` may name.
KNOWN_TYPES = (
    "job_posted",
    "application_received",
    "application_status_changed",
    "match_score_calculated",
    "job_alert",
    "notification",
    "resume_progress",
    "new_message",
    "user_typing",
    "messages_read",
    "message_deleted",
    "presence",
    "interview_reminder",
    "call_incoming",
)

_ROOM_ROLES = {"recruiters": {"recruiter", "admin"}, "admins": {"admin"}}


def may_join_room(user, room: str) -> bool:
    role = "admin" if user.is_admin else user.user_type
    return role in _ROOM_ROLES.get(room, set())


def recipient_ids_of(related, *, event_type: str) -> set[int]:
    """The users an event of this kind about this object was stored for, one by one (not role broadcasts)."""
    events = Notification.objects.filter(
        content_type=ContentType.objects.get_for_model(related),
        object_id=str(related.pk),
        event_type=event_type,
        recipient__isnull=False,
    )
    return set(events.values_list("recipient_id", flat=True))


def event_exists_for(related, *, event_type: str, notification_type: str = "") -> bool:
    """Whether an event of this kind about this object was stored already (tasks use it to run once)."""
    events = Notification.objects.filter(
        content_type=ContentType.objects.get_for_model(related), object_id=str(related.pk), event_type=event_type
    )
    if notification_type:
        events = events.filter(notification_type=notification_type)
    return events.exists()
