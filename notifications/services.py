"""Writes of a user's own notification state: read, acked (delivered), deleted, preferences."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from notifications import groups, partitions
from notifications.broadcaster import broadcaster
from notifications.models import EventLogHorizon, Notification, NotificationPreference, NotificationReceipt
from notifications.presence import audiences_of, presence_frame
from notifications.selectors import notifications_for


def _receipt_update(*, user, notification: Notification, **fields) -> None:
    receipt, _ = NotificationReceipt.objects.get_or_create(notification=notification, user=user)
    for field, value in fields.items():
        if getattr(receipt, field) is None:
            setattr(receipt, field, value)
    receipt.save()


@transaction.atomic
def notification_mark_read(*, user, notification: Notification) -> None:
    now = timezone.now()
    if notification.recipient_id == user.pk:
        Notification.objects.filter(pk=notification.pk, is_read=False).update(is_read=True, read_at=now)
    else:
        _receipt_update(user=user, notification=notification, read_at=now)


@transaction.atomic
def notification_mark_all_read(*, user) -> int:
    now = timezone.now()
    personal = Notification.objects.filter(recipient=user, is_read=False).update(is_read=True, read_at=now)
    unread_broadcasts = notifications_for(user).filter(recipient__isnull=True, read=False).values_list("id", flat=True)
    ids = list(unread_broadcasts)
    # A receipt may be created concurrently (a socket's ack, a read in another tab): insert what is
    # missing without failing on those, then mark every one of them read.
    NotificationReceipt.objects.bulk_create(
        [NotificationReceipt(notification_id=i, user=user) for i in ids], ignore_conflicts=True
    )
    NotificationReceipt.objects.filter(user=user, notification_id__in=ids, read_at__isnull=True).update(read_at=now)
    return personal + len(ids)


@transaction.atomic
def notification_delete(*, user, notification: Notification) -> None:
    if notification.recipient_id == user.pk:
        notification.delete()
    else:
        _receipt_update(user=user, notification=notification, deleted_at=timezone.now())


@transaction.atomic
def notifications_rewrite_related(
    *, related, event_type: str, recipient_ids: list[int], data_contains: dict | None = None, **fields
) -> int:
    """Overwrite `fields` (data, message) of the recipients' stored `event_type` events about `related`, e.g.
    when a chat message is deleted by its sender: the notification list and replays show the new values."""
    events = Notification.objects.filter(
        recipient_id__in=recipient_ids,  # by the recipient index, not a scan of every event
        content_type=ContentType.objects.get_for_model(related),
        object_id=str(related.pk),
        event_type=event_type,
    )
    if data_contains:
        events = events.filter(data__contains=data_contains)
    return events.update(**fields)


@transaction.atomic
def notifications_ack(*, user, up_to_id: int) -> int:
    """Mark the user's events with id <= up_to_id as delivered to a socket."""
    now = timezone.now()
    delivered = Notification.objects.filter(recipient=user, id__lte=up_to_id, delivered_at__isnull=True).update(
        delivered_at=now
    )
    broadcast = notifications_for(user).filter(recipient__isnull=True, id=up_to_id).first()
    if broadcast is not None:
        _receipt_update(user=user, notification=broadcast, delivered_at=now)
        delivered += 1
    return delivered


@transaction.atomic
def preferences_update(
    *,
    user,
    muted_types: list[str] | None = None,
    email_enabled: bool | None = None,
    types: dict[str, dict[str, bool]] | None = None,
) -> NotificationPreference:
    """`types` sets kinds per channel, {kind: {"in_app": bool, "email": bool}} (either key may be left out), after
    `muted_types`: in-app off is the kind muted (stored read, not pushed), email per kind (notifications.kinds)."""
    NotificationPreference.objects.bulk_create([NotificationPreference(user=user)], ignore_conflicts=True)
    preference = NotificationPreference.objects.select_for_update().get(user=user)
    muted = set(preference.muted_types if muted_types is None else muted_types)
    if email_enabled is not None:
        preference.email_enabled = email_enabled
    for kind, channels in (types or {}).items():
        if "in_app" in channels:
            (muted.discard if channels["in_app"] else muted.add)(kind)
        if "email" in channels:
            preference.email_types = {**preference.email_types, kind: channels["email"]}
    preference.muted_types = sorted(muted)
    preference.save()
    # Open sockets filter role broadcasts by the muted types they loaded at connect: refresh them.
    broadcaster.publish_transient(
        to_groups=[groups.user_group(user.pk)],
        frame={
            "type": "preferences_updated",
            "muted_types": preference.muted_types,
            "email_enabled": preference.email_enabled,
        },
    )
    return preference


def preferences_of(user) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.get_or_create(user=user)
    return preference


def notifications_prune(*, older_than) -> int:
    """Remove the events created before `older_than`, and expired ones; record how far replay can reach.

    Whole day partitions before `older_than` are dropped, not deleted row by row (notifications/partitions.py);
    only the rows of the day `older_than` falls in, and any in the default partition, are DELETEd. The horizon
    moves before anything goes: a failure in between makes replays ask for a resync, never skip silently."""
    highest = partitions.highest_id_before(older_than)
    if highest:
        _horizon_raise(highest)
    dropped, _ = partitions.partitions_drop_before(older_than)
    with transaction.atomic():
        deleted, top = partitions.rows_delete_before(older_than)
        if top:
            _horizon_raise(top)
        # Only age moves the horizon: an expired event is never replayed, so its absence leaves no gap.
        expired, _ = Notification.objects.filter(expires_at__lt=timezone.now()).delete()
    return dropped + deleted + expired


@transaction.atomic
def _horizon_raise(event_id: int) -> None:
    horizon, _ = EventLogHorizon.objects.select_for_update().get_or_create(pk=1)
    horizon.pruned_through_id = max(horizon.pruned_through_id, event_id)
    horizon.pruned_at = timezone.now()
    horizon.save()


def event_log_partitions_ensure() -> list[str]:
    """Make today's partition of the event log and those of the days ahead that are missing."""
    return partitions.partitions_ensure()


def presence_announce(*, user_id: int, online: bool, last_seen: str | None) -> int:
    """Tell the user's presence audience (presence.audiences_of) that they came online or went offline."""
    return presence_announce_many(user_ids=[user_id], online=online, last_seen=last_seen)


def presence_announce_many(*, user_ids: list[int], online: bool, last_seen: str | None = None) -> int:
    """presence_announce for many users (those of a reconnect storm): one audience query, one Redis round trip."""
    frames = [
        (
            [groups.user_group(partner) for partner in partners],
            presence_frame(user_id, online=online, last_seen=last_seen),
        )
        for user_id, partners in audiences_of(user_ids).items()
        if partners
    ]
    broadcaster.publish_transients(frames)
    return sum(len(to_groups) for to_groups, _ in frames)
