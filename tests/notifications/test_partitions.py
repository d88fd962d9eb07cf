"""The event log partitioned by day: partitions made ahead, rows never refused, pruning by dropping partitions,
and reads that PostgreSQL keeps to the partitions they need (read from their EXPLAIN plans)."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from notifications import partitions, selectors
from notifications.broadcaster import broadcaster
from notifications.models import EventLogHorizon, Notification, NotificationReceipt
from notifications.services import notification_mark_read
from notifications.tasks import ensure_event_log_partitions, prune_old_notifications
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TODAY = datetime.now(UTC).date()


def note(user, text: str) -> Notification:
    return broadcaster.publish(
        user_ids=[user.pk], event_type="notification", notification_type="info", title=text, message=text
    )[0]


def stamp(notification: Notification, moment: datetime) -> None:
    # An UPDATE of the partition key moves the row into the partition of its new day.
    Notification.objects.filter(pk=notification.pk).update(created_at=moment)


def home_of(notification: Notification) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {partitions.TABLE} WHERE id = %s", [notification.pk])
        [(table,)] = cursor.fetchall()
    return table


def table_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        [(exists,)] = cursor.fetchall()
    return exists


def scanned(queryset) -> set[str]:
    """The log's tables that the plan of `queryset` reads."""

    def walk(node):
        name = node.get("Relation Name", "")
        if name == partitions.TABLE or name.startswith(f"{partitions.TABLE}_p") or name == partitions.DEFAULT:
            yield name
        for child in node.get("Plans", []):
            yield from walk(child)

    [plan] = json.loads(queryset.explain(format="json"))
    return set(walk(plan["Plan"]))


def days_ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


def test_an_event_lands_in_the_partition_of_its_day(seeker):
    partitions.partitions_ensure()

    event = note(seeker, "today")

    assert home_of(event) == partitions.partition_of(TODAY).name


def test_an_event_with_no_partition_goes_to_the_default_and_moves_when_its_day_is_made(seeker):
    far = timezone.now() + timedelta(days=60)
    event = note(seeker, "a day no partition covers")
    stamp(event, far)
    assert home_of(event) == partitions.DEFAULT

    made = partitions.partitions_ensure(today=far.date(), ahead=0)

    assert made == [partitions.partition_of(far.date()).name]
    assert home_of(event) == partitions.partition_of(far.date()).name
    assert Notification.objects.get(pk=event.pk).title == "a day no partition covers"


def test_the_beat_task_makes_the_missing_days_ahead_and_nothing_twice():
    last = partitions.partition_of(TODAY + timedelta(days=partitions.AHEAD_DAYS))
    partitions.partitions_ensure()
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {partitions.TABLE} DETACH PARTITION {last.name}")
        cursor.execute(f"DROP TABLE {last.name}")

    assert ensure_event_log_partitions() == [last.name]
    assert ensure_event_log_partitions() == []
    days = [partition.day for partition in partitions.partitions()]
    assert all(TODAY + timedelta(days=offset) in days for offset in range(partitions.AHEAD_DAYS + 1))


def test_prune_drops_whole_old_partitions_with_their_receipts_and_moves_the_horizon(seeker, capsys):
    old_days = [days_ago(40), days_ago(39)]
    partitions.partitions_ensure(today=old_days[0].date(), ahead=1)
    partitions.partitions_ensure()
    old = [note(seeker, "old 1"), note(seeker, "old 2")]
    broadcast = broadcaster.publish(role="job_seeker", event_type="job_posted", message="New job posted: A at B")[0]
    seeker.date_joined = days_ago(60)
    seeker.save()
    notification_mark_read(user=seeker, notification=broadcast)
    for event, moment in zip([*old, broadcast], [*old_days, old_days[1]], strict=True):
        stamp(event, moment)
    kept = note(seeker, "recent")
    doomed = [partitions.partition_of(moment.date()).name for moment in old_days]
    assert all(table_exists(name) for name in doomed)

    call_command("prune_notifications", "--older-than", "30")

    # Dropped, not emptied: the tables themselves are gone.
    assert not any(table_exists(name) for name in doomed)
    assert list(Notification.objects.values_list("id", flat=True)) == [kept.pk]
    assert not NotificationReceipt.objects.filter(notification_id=broadcast.pk).exists()
    assert EventLogHorizon.objects.get().pruned_through_id == broadcast.pk
    assert "Deleted 3" in capsys.readouterr().out
    assert table_exists(partitions.partition_of(TODAY).name)


def test_the_daily_prune_cuts_at_a_days_start_so_it_only_drops(seeker, settings):
    settings.KAZI_NOTIFICATION_RETENTION_DAYS = 30
    partitions.partitions_ensure(today=days_ago(31).date(), ahead=0)
    partitions.partitions_ensure(today=days_ago(30).date(), ahead=0)
    older, edge = note(seeker, "31 days"), note(seeker, "30 days")
    stamp(older, days_ago(31))
    # On the cutoff's day but before the cutoff: kept until its whole day is past the retention.
    stamp(edge, partitions.day_start(days_ago(30)) + timedelta(seconds=1))

    assert prune_old_notifications() == 1
    assert list(Notification.objects.values_list("id", flat=True)) == [edge.pk]
    assert not table_exists(partitions.partition_of(days_ago(31).date()).name)


def test_replay_reads_only_the_partitions_from_the_last_event_id_on(seeker):
    partitions.partitions_ensure(today=TODAY - timedelta(days=10), ahead=10 + partitions.AHEAD_DAYS)
    for days in range(2, 10):
        stamp(note(seeker, f"{days} days ago"), days_ago(days))
    seen, missed = note(seeker, "seen"), note(seeker, "missed")

    replayed = selectors.replay_after(seeker, seen.pk)
    tables = scanned(selectors.replay_queryset(seeker, seen.pk, up_to=None, muted=[]))

    assert [event.id for event in replayed] == [missed.pk]
    # From the day before the last event's (the clock slack) on, and the default; none of the older days.
    old = {partitions.partition_of(TODAY - timedelta(days=days)).name for days in range(2, 11)}
    assert partitions.partition_of(TODAY).name in tables
    assert not tables & old, sorted(tables & old)
    assert tables <= {
        partitions.partition_of(TODAY - timedelta(days=days)).name for days in range(-partitions.AHEAD_DAYS, 2)
    } | {partitions.DEFAULT}


def test_the_rest_list_reads_no_partition_past_the_retention(seeker, settings):
    settings.KAZI_NOTIFICATION_RETENTION_DAYS = 30
    partitions.partitions_ensure(today=TODAY - timedelta(days=40), ahead=40 + partitions.AHEAD_DAYS)
    stale, kept = note(seeker, "past the retention, not pruned yet"), note(seeker, "20 days old")
    kept_at = days_ago(20)
    stamp(stale, days_ago(35))
    stamp(kept, kept_at)

    listed = client_for(seeker).get("/api/notifications/").data["results"]
    tables = scanned(selectors.notifications_for(seeker))

    assert [item["id"] for item in listed] == [kept.pk]
    assert partitions.partition_of(kept_at.date()).name in tables
    assert not any(partitions.partition_of(TODAY - timedelta(days=days)).name in tables for days in range(32, 41))


def test_a_user_deleting_an_event_and_the_sequence_go_on_as_before(seeker):
    first = note(seeker, "first")
    client_for(seeker).delete(f"/api/notifications/{first.pk}/")
    second = note(seeker, "second")

    assert not Notification.objects.filter(pk=first.pk).exists()
    assert second.pk > first.pk


def test_a_replay_from_before_the_retention_still_gets_the_events_the_prune_has_not_removed(seeker, settings):
    settings.KAZI_NOTIFICATION_RETENTION_DAYS = 30
    last_seen, owed, new = note(seeker, "last seen"), note(seeker, "past the retention"), note(seeker, "new")
    stamp(last_seen, days_ago(40))
    stamp(owed, days_ago(35))

    assert [event.id for event in selectors.replay_after(seeker, last_seen.pk)] == [owed.pk, new.pk]
    assert [item.pk for item in selectors.notifications_for(seeker)] == [new.pk]
