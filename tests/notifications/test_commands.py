"""Staff commands: send_notification and prune_notifications."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from notifications import groups, selectors
from notifications.broadcaster import broadcaster
from notifications.models import EventLogHorizon, Notification
from tests import factories
from tests.conftest import client_for
from tests.notifications.redis_listener import RedisListener, frame

pytestmark = pytest.mark.django_db


def note(user, text: str) -> Notification:
    return broadcaster.publish(
        user_ids=[user.pk], event_type="notification", notification_type="info", title=text, message=text
    )[0]


def age(notification: Notification, days: int) -> None:
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(days=days))


# --- send_notification ------------------------------------------------------------------------
def test_send_notification_to_a_user_stores_an_info_notification(seeker, capsys):
    call_command("send_notification", "--user", seeker.email.upper(), "--message", "Maintenance tonight at 22:00")

    event = Notification.objects.get()
    assert event.recipient_id == seeker.pk
    assert (event.event_type, event.notification_type) == ("notification", "info")
    assert event.message == "Maintenance tonight at 22:00"
    assert event.priority == "normal"
    assert f"#{event.pk}" in capsys.readouterr().out
    item = client_for(seeker).get("/api/notifications/").data["results"][0]
    assert (item["id"], item["notification_type"], item["read"]) == (event.pk, "info", False)


def test_send_notification_is_pushed_to_the_users_sockets(seeker, django_capture_on_commit_callbacks):
    listener = RedisListener()
    try:
        listener.subscribe(groups.user_group(seeker.pk))
        with django_capture_on_commit_callbacks(execute=True):
            call_command(
                "send_notification",
                "--user",
                seeker.email,
                "--message",
                "Your profile was verified",
                "--title",
                "Verified",
                "--type",
                "success",
                "--priority",
                "high",
            )
        received = listener.received()
    finally:
        listener.close()

    assert len(received) == 1
    pushed = frame(received[0][1])
    assert pushed["type"] == "notification"
    assert pushed["id"] == Notification.objects.get().pk
    assert (pushed["notification_type"], pushed["title"], pushed["priority"]) == ("success", "Verified", "high")
    assert pushed["message"] == "Your profile was verified"


def test_send_notification_to_a_role_stores_one_row_for_the_role(seeker):
    other = factories.SeekerFactory()
    recruiter = factories.RecruiterFactory()

    call_command("send_notification", "--role", "job_seeker", "--message", "New feature: saved searches")

    event = Notification.objects.get()
    assert (event.audience, event.recipient_id) == ("job_seeker", None)
    assert event.notification_type == "info"
    for user in (seeker, other):
        assert [n.pk for n in selectors.notifications_for(user)] == [event.pk]
    assert selectors.notifications_for(recruiter).count() == 0


def test_send_notification_to_an_unknown_email_is_a_command_error():
    with pytest.raises(CommandError, match="nobody@example.com"):
        call_command("send_notification", "--user", "nobody@example.com", "--message", "Hello")

    assert not Notification.objects.exists()


def test_send_notification_needs_a_target():
    with pytest.raises(CommandError):
        call_command("send_notification", "--message", "Hello")


# --- prune_notifications ----------------------------------------------------------------------
def test_prune_deletes_old_rows_keeps_new_ones_and_moves_the_horizon(seeker, capsys):
    oldest = note(seeker, "oldest")
    old_broadcast = broadcaster.publish(role="job_seeker", event_type="job_posted", message="New job posted: A at B")[0]
    recent = note(seeker, "recent")
    age(oldest, 45)
    age(old_broadcast, 31)
    age(recent, 29)
    # An old seeker: the role broadcast was visible to them before it was pruned.
    seeker.date_joined = timezone.now() - timedelta(days=60)
    seeker.save()

    call_command("prune_notifications", "--older-than", "30")

    assert list(Notification.objects.values_list("id", flat=True)) == [recent.pk]
    assert EventLogHorizon.objects.get().pruned_through_id == old_broadcast.pk
    assert "Deleted 2" in capsys.readouterr().out
    listed = client_for(seeker).get("/api/notifications/").data["results"]
    assert [item["id"] for item in listed] == [recent.pk]


def test_replay_from_before_the_pruned_events_requires_a_resync(seeker):
    first_old, last_old = note(seeker, "old 1"), note(seeker, "old 2")
    age(first_old, 40)
    age(last_old, 40)
    kept = note(seeker, "new")

    call_command("prune_notifications", "--older-than", "30")

    with pytest.raises(selectors.ResyncRequired) as resync:
        selectors.replay_after(seeker, first_old.pk)
    assert resync.value.latest_id == kept.pk
    with pytest.raises(selectors.ResyncRequired):
        selectors.replay_after(seeker, 0)
    # A client that had everything up to the newest pruned event misses nothing: it replays normally.
    assert [event.id for event in selectors.replay_after(seeker, last_old.pk)] == [kept.pk]


def test_prune_with_nothing_old_keeps_everything_and_replay_still_works(seeker):
    first = note(seeker, "first")
    second = note(seeker, "second")

    call_command("prune_notifications", "--older-than", "30")

    assert Notification.objects.count() == 2
    assert [event.id for event in selectors.replay_after(seeker, first.pk)] == [second.pk]


def test_prune_rejects_negative_days():
    with pytest.raises(CommandError):
        call_command("prune_notifications", "--older-than", "-1")
