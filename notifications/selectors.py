"""Reads of stored events: a user's list, unread count, and replay after an id."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Case, Exists, Max, OuterRef, Q, QuerySet, Subquery, Value, When
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


def connect_states(keys: list[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, list[str]]]:
    """For sockets connecting at once, each (user id, horizon): the user's newest event id at or below the horizon
    (latest_event_id) and muted types (muted_types_of), in one query per distinct horizon, not three per socket."""
    by_bound: dict[int, list[int]] = defaultdict(list)
    for user_id, bound in keys:
        by_bound[bound].append(user_id)
    states = {}
    for bound, user_ids in by_bound.items():
        below = Notification.objects.filter(id__lte=bound).order_by("-id").values("id")
        rows = (
            get_user_model()
            .objects.filter(pk__in=user_ids)
            .annotate(
                personal=Subquery(below.filter(recipient_id=OuterRef("pk"))[:1]),
                # A role broadcast reaches the members of the role (audiences_of) who had joined when it was made.
                broadcast=Subquery(
                    below.filter(audience=OuterRef("user_type"), created_at__gte=OuterRef("date_joined")).exclude(
                        audience=""
                    )[:1]
                ),
                muted=Subquery(NotificationPreference.objects.filter(user_id=OuterRef("pk")).values("muted_types")[:1]),
            )
            .values_list("pk", "personal", "broadcast", "muted")
        )
        for user_id, personal, broadcast, muted in rows:
            states[(user_id, bound)] = (max(personal or 0, broadcast or 0), list(muted or []))
    return states


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


def replay_many(keys: list[tuple[int, int, int]]) -> dict[tuple[int, int, int], list[ReplayedEvent] | ResyncRequired]:
    """replay_after for many sockets at once, each (user id, after_id, up_to): what a reconnect storm asks.

    The same events as replay_after (the user's own, and their role's broadcasts since they joined; not expired,
    muted or deleted), read in a few queries for all: each user's own events by the recipient index, each role's
    broadcasts once for every member, each frame made once. A socket whose replay would pass the limit, or
    reach below the pruned horizon, gets ResyncRequired in place of its events."""
    limit = settings.KAZI_REPLAY_MAX_EVENTS
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in={key[0] for key in keys})}
    keys = [key for key in keys if key[0] in users]
    # One partition-key bound for all: the stamp of the lowest id asked from bounds every event above it
    # (event_log.floor_after), so only the log's partitions from there on are read.
    lowest = min((key[1] for key in keys), default=0)
    since = event_log.floor_after(lowest) if lowest else None
    personal = _personal_rows(keys, limit, since)
    broadcasts, complete_above = _broadcast_rows(keys, users, limit, since)
    read = _ReplayRead(
        users=users,
        muted=dict(NotificationPreference.objects.filter(user_id__in=users).values_list("user_id", "muted_types")),
        hidden=_hidden(users, [*personal, *broadcasts]),
        pruned=EventLogHorizon.objects.filter(pk=1).values_list("pruned_through_id", flat=True).first() or 0,
        limit=limit,
    )
    by_user: dict[int, dict[int, Notification]] = defaultdict(dict)
    read_per_key: dict[tuple[int, int, int], int] = defaultdict(int)
    for row in personal:
        by_user[row.recipient_id][row.pk] = row  # one row for every socket of the user that read it
        read_per_key[(row.recipient_id, row.key_after, row.key_up_to)] += 1
    by_role: dict[str, list[Notification]] = defaultdict(list)
    for row in broadcasts:
        by_role[row.audience].append(row)
    replays: dict = {}
    for key in keys:
        user = users[key[0]]
        roles = audiences_of(user)
        if read_per_key[key] > limit or any(key[1] < complete_above.get(role, 0) for role in roles):
            # More than the shared read holds: this one reads its own (as replay_after does).
            replays[key] = _replay_alone(user, key)
            continue
        candidates = [*by_user[user.pk].values()] + [row for role in roles for row in by_role[role]]
        replays[key] = read.replay(user, key, candidates)
    return replays


@dataclass
class _ReplayRead:
    users: dict
    muted: dict
    hidden: set
    pruned: int
    limit: int
    frames: dict = field(default_factory=dict)  # event id -> ReplayedEvent, made once for every socket

    def replay(self, user, key: tuple[int, int, int], candidates: list[Notification]):
        _, after_id, up_to = key
        if after_id < self.pruned:
            return ResyncRequired(latest_event_id(user, up_to=up_to))
        quiet = set(self.muted.get(user.pk) or ())
        now = timezone.now()
        wanted = sorted(
            (
                row
                for row in candidates
                if after_id < row.pk <= up_to
                and (row.expires_at is None or row.expires_at > now)
                and (row.recipient_id is not None or row.created_at >= user.date_joined)
                and not _kinds(row) & quiet
                and (user.pk, row.pk) not in self.hidden
            ),
            key=lambda row: row.pk,
        )
        if len(wanted) > self.limit:
            return ResyncRequired(latest_event_id(user, up_to=up_to))
        return [self._replayed(row) for row in wanted]

    def _replayed(self, row: Notification) -> ReplayedEvent:
        event = self.frames.get(row.pk)
        if event is None:
            event = self.frames[row.pk] = ReplayedEvent(row.pk, dumps(frame_of(row)), _kinds(row))
        return event


def _replay_alone(user, key: tuple[int, int, int]):
    try:
        return replay_after(user, key[1], up_to=key[2])
    except ResyncRequired as resync:
        return resync


def _hidden(users: dict, rows: list[Notification]) -> set[tuple[int, int]]:
    """(user id, event id) of the events these users deleted from their list (receipts of broadcasts)."""
    if not rows:
        return set()
    return set(
        NotificationReceipt.objects.filter(
            user_id__in=list(users), notification_id__in=[row.pk for row in rows], deleted_at__isnull=False
        ).values_list("user_id", "notification_id")
    )


def _personal_rows(keys: list[tuple[int, int, int]], limit: int, since) -> list[Notification]:
    """Each user's own events in (after_id, up_to], at most limit + 1 each, by the recipient index; stamped at or
    after `since` when it is given (the partition key)."""
    if not keys:
        return []
    table = Notification._meta.db_table
    user_ids, afters, bounds = (list(column) for column in zip(*keys, strict=True))
    stamped, stamp = ("AND e.created_at >= %s ", [since]) if since is not None else ("", [])
    return list(
        Notification.objects.raw(
            "SELECT n.*, k.after_id AS key_after, k.up_to AS key_up_to "
            "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[]) AS k(user_id, after_id, up_to) "
            f"CROSS JOIN LATERAL (SELECT * FROM {table} e WHERE e.recipient_id = k.user_id AND e.id > k.after_id "
            f"AND e.id <= k.up_to {stamped}ORDER BY e.id LIMIT %s) n",
            [user_ids, afters, bounds, *stamp, limit + 1],
        )
    )


def _broadcast_rows(
    keys: list[tuple[int, int, int]], users: dict, limit: int, since
) -> tuple[list[Notification], dict]:
    """The broadcasts of each role in the widest range its members ask for, read once for all of them: at most
    the newest limit + 1, and for a role where that cut some off, the lowest id read (a member asking from
    further back reads alone)."""
    ranges: dict[str, tuple[int, int]] = {}
    for user_id, after_id, up_to in keys:
        for role in audiences_of(users[user_id]):
            low, high = ranges.get(role, (after_id, up_to))
            ranges[role] = (min(low, after_id), max(high, up_to))
    rows: list[Notification] = []
    complete_above: dict[str, int] = {}
    for role, (low, high) in ranges.items():
        stamped = Q() if since is None else Q(created_at__gte=since)
        newest = list(
            Notification.objects.filter(stamped, audience=role, id__gt=low, id__lte=high).order_by("-id")[: limit + 1]
        )
        if len(newest) > limit:
            complete_above[role] = newest[-1].pk
        rows.extend(newest)
    return rows, complete_above


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
