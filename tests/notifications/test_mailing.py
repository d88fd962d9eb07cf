"""Notification mail through a real SMTP server on loopback: the offline digest, preferences, the one-click
unsubscribe followed from the received mail."""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import mailing, presence
from notifications.broadcaster import broadcaster
from notifications.models import Notification, NotificationPreference
from tests import factories
from tests.conftest import client_for
from tests.mail import parts_of

pytestmark = pytest.mark.django_db

MINUTES = 15


@pytest.fixture(autouse=True)
def _mail_sent_inline(settings):
    # The send task runs inline at commit; the SMTP server it talks to is real (smtp_server).
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.KAZI_EMAIL_DIGEST_MINUTES = MINUTES


def notify(user, *, count=1, event_type="application_status_changed", **fields) -> list[Notification]:
    stored = []
    for n in range(count):
        stored += broadcaster.publish(
            user_ids=[user.pk], event_type=event_type, title=f"Update {n}", message=f"Message {n}", **fields
        )
    return stored


def spread(notifications: list[Notification], *, start, over: timedelta) -> None:
    """Make the notifications look created evenly over `over` from `start` (the digest reads created_at)."""
    step = over / max(len(notifications) - 1, 1)
    for index, notification in enumerate(notifications):
        Notification.objects.filter(pk=notification.pk).update(created_at=start + step * index)


def run_digests(django_capture_on_commit_callbacks, *, start, minutes: int) -> int:
    """The beat's digest run once a minute for `minutes` minutes of simulated time; the digests queued."""
    queued = 0
    for minute in range(minutes + 1):
        with django_capture_on_commit_callbacks(execute=True):
            queued += mailing.digests_send(now=start + timedelta(minutes=minute))
    return queued


def go_online(user) -> None:
    key = presence.key(user.pk)
    presence.redis_client().zadd(key, {"test-socket": time.time() + presence.PRESENCE_TTL})


def test_fifty_notifications_in_ten_minutes_to_an_offline_user_make_one_digest(
    smtp_server, django_capture_on_commit_callbacks
):
    seeker = factories.SeekerFactory(email="offline@example.com")
    start = timezone.now()
    spread(notify(seeker, count=50), start=start, over=timedelta(minutes=10))

    queued = run_digests(django_capture_on_commit_callbacks, start=start, minutes=40)

    assert queued == 1
    [message] = smtp_server.messages
    assert message["To"] == "offline@example.com"
    assert message["Subject"] == "50 unread notifications on Kazi"
    parts = parts_of(message)
    assert all(f"Update {n}" in parts["text/plain"] and f"Update {n}" in parts["text/html"] for n in range(50))
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_digest_waits_a_whole_window_after_the_first_unread_notification(
    smtp_server, django_capture_on_commit_callbacks
):
    seeker = factories.SeekerFactory()
    start = timezone.now()
    spread(notify(seeker), start=start, over=timedelta(0))

    assert run_digests(django_capture_on_commit_callbacks, start=start, minutes=MINUTES - 1) == 0
    assert run_digests(django_capture_on_commit_callbacks, start=start + timedelta(minutes=MINUTES), minutes=0) == 1


def test_a_steady_stream_gets_at_most_one_digest_per_window(smtp_server, django_capture_on_commit_callbacks):
    seeker = factories.SeekerFactory()
    start = timezone.now()

    queued = []
    for minute in range(60):  # a notification a minute for an hour, the digest run every minute
        now = start + timedelta(minutes=minute)
        spread(notify(seeker), start=now, over=timedelta(0))
        with django_capture_on_commit_callbacks(execute=True):
            if mailing.digests_send(now=now):
                queued.append(minute)

    # Each digest waits until its oldest notification has waited a window (and so the last digest is a window
    # old): 16 notifications each, the 12 of the last minutes wait for the next.
    assert queued == [MINUTES, 2 * MINUTES + 1, 3 * MINUTES + 2]
    assert [m["Subject"] for m in smtp_server.messages] == ["16 unread notifications on Kazi"] * 3


def test_a_user_with_an_open_socket_gets_no_digest(smtp_server, django_capture_on_commit_callbacks):
    seeker = factories.SeekerFactory()
    go_online(seeker)
    start = timezone.now() - timedelta(minutes=MINUTES + 1)
    spread(notify(seeker, count=50), start=start, over=timedelta(minutes=10))

    assert mailing.digests_send() == 0

    assert smtp_server.messages == []
    # They saw those live: going offline later does not mail them.
    presence.redis_client().delete(presence.key(seeker.pk))
    assert run_digests(django_capture_on_commit_callbacks, start=timezone.now(), minutes=MINUTES + 1) == 0
    assert NotificationPreference.objects.get(user=seeker).digested_through_id == Notification.objects.latest("id").pk


def test_read_muted_delivered_and_chat_events_stay_out_of_the_digest(smtp_server, django_capture_on_commit_callbacks):
    seeker = factories.SeekerFactory()
    NotificationPreference.objects.create(user=seeker, muted_types=["job_alert"])
    start = timezone.now()
    kept = notify(seeker, event_type="application_status_changed")
    read = notify(seeker)
    Notification.objects.filter(pk=read[0].pk).update(is_read=True)
    delivered = notify(seeker)
    Notification.objects.filter(pk=delivered[0].pk).update(delivered_at=start)
    notify(seeker, event_type="job_alert")  # muted: stored read
    notify(seeker, event_type="new_message", count=5)  # each chat message: never mailed one by one
    spread(list(Notification.objects.filter(recipient=seeker)), start=start, over=timedelta(0))

    assert run_digests(django_capture_on_commit_callbacks, start=start, minutes=MINUTES) == 1

    [message] = smtp_server.messages
    assert message["Subject"] == "1 unread notification on Kazi"
    assert kept[0].title in parts_of(message)["text/plain"]


def test_no_digest_when_email_is_off_or_the_kind_is_not_mailed(smtp_server, django_capture_on_commit_callbacks):
    switched_off, kind_off = factories.SeekerFactory(), factories.SeekerFactory()
    NotificationPreference.objects.create(user=switched_off, email_enabled=False)
    NotificationPreference.objects.create(user=kind_off, email_types={"application_status_changed": False})
    start = timezone.now()
    spread(notify(switched_off) + notify(kind_off), start=start, over=timedelta(0))

    assert run_digests(django_capture_on_commit_callbacks, start=start, minutes=MINUTES + 1) == 0
    assert smtp_server.messages == []


def test_running_the_digest_twice_at_once_mails_once(smtp_server, django_capture_on_commit_callbacks):
    seeker = factories.SeekerFactory()
    start = timezone.now()
    spread(notify(seeker, count=3), start=start, over=timedelta(0))
    now = start + timedelta(minutes=MINUTES)

    with django_capture_on_commit_callbacks(execute=True):
        assert mailing.digest_send(user_id=seeker.pk, now=now, online=False) is True
        assert mailing.digest_send(user_id=seeker.pk, now=now, online=False) is False

    assert len(smtp_server.messages) == 1


def unsubscribe_link(message) -> str:
    header = str(message["List-Unsubscribe"]).strip()  # folded: the URL alone is longer than a line
    url = re.fullmatch(r"<(\S+)>", header).group(1)
    assert url in parts_of(message)["text/plain"]
    return url.removeprefix("http://127.0.0.1:8000")


def test_the_unsubscribe_link_of_a_digest_works_in_one_click_without_login(
    smtp_server, django_capture_on_commit_callbacks, client
):
    seeker = factories.SeekerFactory()
    start = timezone.now()
    spread(notify(seeker), start=start, over=timedelta(0))
    run_digests(django_capture_on_commit_callbacks, start=start, minutes=MINUTES)
    [message] = smtp_server.messages
    path = unsubscribe_link(message)

    page = client.get(path)
    assert page.status_code == 200 and b"Unsubscribe?" in page.content
    assert NotificationPreference.objects.get(user=seeker).email_enabled is True  # a GET changes nothing

    # RFC 8058: the mail client POSTs this body, with no cookie and no CSRF token.
    one_click = client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")

    assert one_click.status_code == 200 and b"Unsubscribed" in one_click.content
    assert NotificationPreference.objects.get(user=seeker).email_enabled is False


def test_a_changed_unsubscribe_token_is_refused(client, seeker):
    token = mailing.unsubscribe_token(user_id=seeker.pk)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    assert client.post(f"/unsubscribe/{forged}/").status_code == 404
    assert client.get("/unsubscribe/not-a-token/").status_code == 404
    assert NotificationPreference.objects.filter(user=seeker, email_enabled=False).exists() is False


def test_a_kind_link_turns_off_that_kind_only(client, seeker):
    token = mailing.unsubscribe_token(user_id=seeker.pk, kind="interview_reminder")

    assert client.post(f"/unsubscribe/{token}/").status_code == 200

    preference = NotificationPreference.objects.get(user=seeker)
    assert preference.email_enabled is True
    assert preference.email_types == {"interview_reminder": False}


# --- preferences per kind and channel ------------------------------------------------------------------------
def test_preferences_list_every_kind_with_both_channels_and_defaults(seeker):
    body = client_for(seeker).get("/api/notifications/preferences/").data

    assert body["email_enabled"] is True
    assert body["types"]["interview_scheduled"] == {
        "label": "Interview scheduled or moved",
        "urgent": True,
        "mail_only": False,
        "in_app": True,
        "email": True,
    }
    assert body["types"]["job_posted"]["email"] is False
    assert "new_message" not in body["types"]


def test_preferences_set_per_kind_and_channel_keep_the_old_fields_in_step(seeker):
    api = client_for(seeker)
    body = {
        "muted_types": [],
        "email_enabled": True,
        "types": {"job_alert": {"in_app": False, "email": False}, "message": {"email": False, "label": "ignored"}},
    }

    response = api.put("/api/notifications/preferences/", body, format="json")

    assert response.status_code == 200, response.content
    assert response.data["muted_types"] == ["job_alert"]
    assert response.data["types"]["job_alert"] | {} == {
        "label": "Saved search: a new matching job",
        "urgent": False,
        "mail_only": False,
        "in_app": False,
        "email": False,
    }
    assert response.data["types"]["message"]["email"] is False
    assert response.data["types"]["message"]["in_app"] is True
    preference = NotificationPreference.objects.get(user=seeker)
    assert preference.email_types == {"job_alert": False, "message": False}


@pytest.mark.parametrize(
    "types",
    [["job_alert"], {"job_alert": {"email": "sometimes"}}, {"x" * 51: {"email": True}}, {"job_alert": True}],
    ids=["not-a-dict", "bad-bool", "long-kind", "not-channels"],
)
def test_bad_types_are_400(seeker, types):
    api = client_for(seeker)
    response = api.put(
        "/api/notifications/preferences/", {"muted_types": [], "email_enabled": True, "types": types}, format="json"
    )

    assert response.status_code == 400, response.content
    assert "types" in response.data


def test_the_settings_page_is_served_to_a_signed_in_user(client, seeker):
    client.force_login(seeker)

    page = client.get("/settings/notifications/")

    assert page.status_code == 200
    assert b"notification-settings.js" in page.content
    assert client.get("/static/kazi/notification-settings.js").status_code == 200


def test_the_digest_run_costs_a_fixed_number_of_queries_per_user(
    smtp_server, django_capture_on_commit_callbacks, django_assert_num_queries, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # count the digest's own queries, not the send task's
    users = [factories.SeekerFactory() for _ in range(5)]
    start = timezone.now()
    for user in users:
        spread(notify(user, count=20), start=start, over=timedelta(minutes=5))

    # 1 (who is due) + per user 9: insert-if-missing, lock, pending, mail row, cursor, and two savepoints (two
    # queries each) around them; 20 notifications a user or 1 cost the same.
    with django_assert_num_queries(1 + 5 * 9):
        assert mailing.digests_send(now=start + timedelta(minutes=MINUTES + 5)) == 5
