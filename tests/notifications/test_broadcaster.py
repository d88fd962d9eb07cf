"""NotificationBroadcaster.publish: stored in the caller's transaction, pushed to Redis only after it commits."""

import json
import threading
import time
from datetime import UTC, datetime

import pytest
from django.db import connections, transaction

from marketplace import services as matcher_services
from notifications import event_log, groups, selectors, transport
from notifications import services as notification_services
from notifications.broadcaster import COPY_FROM, broadcaster
from notifications.frames import dumps, frame_of
from notifications.models import Notification
from tests import factories
from tests.notifications.redis_listener import RedisListener, frame

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener():
    listener = RedisListener()
    yield listener
    listener.close()


def resume_done(user, **extra) -> dict:
    return dict(
        user_ids=[user.pk],
        event_type="notification",
        notification_type="resume_completed",
        title="Resume processed",
        message="Your resume is ready.",
        payload={"resume_id": "r-1"},
        **extra,
    )


def assert_iso_utc(value: str) -> None:
    assert value.endswith("Z"), value
    datetime.fromisoformat(value.replace("Z", "+00:00"))


# --- commit / rollback ------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_event_is_stored_and_pushed_only_after_its_transaction_commits(listener):
    seeker = factories.SeekerFactory()
    listener.subscribe(groups.user_group(seeker.pk))

    with transaction.atomic():
        stored = broadcaster.publish(**resume_done(seeker))
        assert listener.received(timeout=0.3) == [], "pushed before the transaction committed"

    received = listener.received()
    assert len(received) == 1
    group, envelope = received[0]
    assert group == groups.user_group(seeker.pk)
    assert envelope["id"] == stored[0].pk
    assert envelope["t"] == "notification"
    assert envelope["n"] == "resume_completed"
    pushed = frame(envelope)
    assert pushed == {
        "type": "notification",
        "id": stored[0].pk,
        "notification_type": "resume_completed",
        "title": "Resume processed",
        "message": "Your resume is ready.",
        "priority": "normal",
        "data": {"resume_id": "r-1"},
        "timestamp": pushed["timestamp"],
    }
    assert_iso_utc(pushed["timestamp"])
    assert list(Notification.objects.filter(recipient=seeker).values_list("id", flat=True)) == [stored[0].pk]


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_stores_nothing_and_pushes_nothing(listener):
    seeker = factories.SeekerFactory()
    listener.subscribe(groups.user_group(seeker.pk))

    with pytest.raises(RuntimeError), transaction.atomic():
        broadcaster.publish(**resume_done(seeker))
        raise RuntimeError("the change that caused the event failed")

    assert listener.received(timeout=0.5) == []
    assert not Notification.objects.exists()
    assert selectors.unread_count(seeker) == 0


@pytest.mark.django_db(transaction=True)
def test_application_rolled_back_by_its_caller_never_reaches_the_recruiter(listener):
    recruiter = factories.RecruiterFactory()
    job = factories.JobFactory(company=recruiter.company)
    seeker = factories.SeekerFactory()
    listener.subscribe(groups.user_group(recruiter.pk))

    with pytest.raises(RuntimeError), transaction.atomic():
        matcher_services.application_create(job=job, candidate=seeker, cover_letter="Hi")
        raise RuntimeError("a later step of the same request failed")

    assert listener.received(timeout=0.5) == []
    assert not Notification.objects.filter(recipient=recruiter).exists()


def test_event_of_a_rolled_back_savepoint_is_dropped_while_the_committed_one_is_pushed(
    listener, django_capture_on_commit_callbacks
):
    seeker = factories.SeekerFactory()
    listener.subscribe(groups.user_group(seeker.pk))

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        kept = broadcaster.publish(**resume_done(seeker))[0]
        try:
            with transaction.atomic():
                broadcaster.publish(**resume_done(seeker, priority="high"))
                raise ValueError("inner step failed")
        except ValueError:
            pass

    received = listener.received()
    assert [envelope["id"] for _, envelope in received] == [kept.pk]
    assert list(Notification.objects.filter(recipient=seeker).values_list("id", flat=True)) == [kept.pk]


def test_replay_after_reconnect_sends_exactly_the_frames_that_were_pushed(
    listener, django_capture_on_commit_callbacks, seeker
):
    listener.subscribe(groups.user_group(seeker.pk), groups.role_group("job_seeker"))
    with django_capture_on_commit_callbacks(execute=True):
        broadcaster.publish(**resume_done(seeker))
        broadcaster.publish(
            role="job_seeker",
            event_type="job_posted",
            message="New job posted: Data Engineer at Acme",
            payload={"job_id": "7", "data": {"skills_required": ["SQL"]}},
        )
    pushed = [(envelope["id"], frame(envelope)) for _, envelope in listener.received()]

    replayed = [(event.id, json.loads(event.frame_text)) for event in selectors.replay_after(seeker, 0)]

    assert len(pushed) == 2
    assert replayed == pushed


# --- preferences ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("muted_type", "event"),
    [
        (
            "application_status_changed",
            dict(event_type="application_status_changed", payload={"old_status": "pending", "new_status": "rejected"}),
        ),
        ("match_found", dict(event_type="notification", notification_type="match_found", title="A match")),
    ],
)
def test_muted_type_is_stored_as_read_and_not_pushed(listener, django_capture_on_commit_callbacks, muted_type, event):
    quiet, other = factories.SeekerFactory(), factories.SeekerFactory()
    notification_services.preferences_update(user=quiet, muted_types=[muted_type])
    listener.subscribe(groups.user_group(quiet.pk), groups.user_group(other.pk))

    with django_capture_on_commit_callbacks(execute=True):
        broadcaster.publish(user_ids=[quiet.pk, other.pk], message="Something happened", **event)

    received = listener.received()
    assert [group for group, _ in received] == [groups.user_group(other.pk)]
    quiet_row = Notification.objects.get(recipient=quiet)
    assert quiet_row.is_read and quiet_row.read_at is not None
    assert not Notification.objects.get(recipient=other).is_read
    assert selectors.unread_count(quiet) == 0
    assert selectors.unread_count(other) == 1


def test_unmuted_types_still_reach_a_user_who_muted_others(listener, django_capture_on_commit_callbacks, seeker):
    notification_services.preferences_update(user=seeker, muted_types=["job_posted"])
    listener.subscribe(groups.user_group(seeker.pk))

    with django_capture_on_commit_callbacks(execute=True):
        stored = broadcaster.publish(**resume_done(seeker))

    assert [envelope["id"] for _, envelope in listener.received()] == [stored[0].pk]


# --- role broadcasts, ids ---------------------------------------------------------------------
def test_role_broadcast_is_one_row_pushed_once_to_the_role_group(listener, django_capture_on_commit_callbacks):
    seekers = factories.SeekerFactory.create_batch(3)
    listener.subscribe(groups.role_group("job_seeker"), *(groups.user_group(s.pk) for s in seekers))

    with django_capture_on_commit_callbacks(execute=True):
        stored = broadcaster.publish(
            role="job_seeker",
            event_type="job_posted",
            message="New job posted: Data Engineer at Acme",
            payload={"job_id": "7", "job_title": "Data Engineer", "company": "Acme", "location": "Remote"},
        )

    assert len(stored) == 1
    row = Notification.objects.get()
    assert (row.audience, row.recipient_id) == ("job_seeker", None)
    received = listener.received()
    assert [(group, envelope["id"]) for group, envelope in received] == [(groups.role_group("job_seeker"), row.pk)]
    assert frame(received[0][1])["message"] == "New job posted: Data Engineer at Acme"
    for seeker in seekers:
        assert list(selectors.notifications_for(seeker).values_list("id", flat=True)) == [row.pk]


def test_event_ids_only_grow_in_publication_order(listener, django_capture_on_commit_callbacks, seeker):
    listener.subscribe(groups.user_group(seeker.pk), groups.role_group("job_seeker"))

    with django_capture_on_commit_callbacks(execute=True):
        first = broadcaster.publish(**resume_done(seeker))
        broadcast = broadcaster.publish(role="job_seeker", event_type="job_posted", message="New job posted: A at B")
        batch = broadcaster.publish(
            user_ids=[seeker.pk, factories.SeekerFactory().pk], event_type="notification", notification_type="info"
        )
        last = broadcaster.publish(**resume_done(seeker))

    ids = [n.pk for n in first + broadcast + batch[:1] + last]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    pushed = [envelope["id"] for _, envelope in listener.received()]
    assert pushed == ids


@pytest.mark.django_db(transaction=True)
def test_publish_never_waits_for_an_uncommitted_event_and_the_horizon_stays_below_it():
    """No writer waits for another; readers stop below the oldest uncommitted id until it commits."""
    seeker, other = factories.SeekerFactory(), factories.SeekerFactory()
    first_stored, release_first = threading.Event(), threading.Event()
    ids: dict[str, int] = {}

    def publish(name: str, user, before_commit=None) -> None:
        try:
            with transaction.atomic():
                ids[name] = broadcaster.publish(**resume_done(user))[0].pk
                if before_commit:
                    before_commit()
        finally:
            connections.close_all()

    def hold_open():
        first_stored.set()
        release_first.wait(10)

    first = threading.Thread(target=publish, args=("first", seeker, hold_open))
    first.start()
    try:
        assert first_stored.wait(10)
        started = time.monotonic()
        publish("same user", seeker)
        publish("other user", other)
        assert time.monotonic() - started < 2, "a publish waited for another user's transaction"
        assert ids["first"] < ids["same user"] < ids["other user"]
        assert event_log.horizon() == ids["first"] - 1, "nothing at or above the uncommitted id is final"
    finally:
        release_first.set()
        first.join(10)
    assert event_log.horizon() >= ids["other user"]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_publish_holds_the_horizon_back_only_until_it_ends():
    seeker = factories.SeekerFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        broadcaster.publish(**resume_done(seeker))
        raise RuntimeError("the caller's change failed")
    [later] = broadcaster.publish(**resume_done(seeker))
    assert event_log.horizon() >= later.pk


# --- refusals ---------------------------------------------------------------------------------
def test_generic_notification_without_notification_type_raises_value_error(seeker):
    with pytest.raises(ValueError, match="notification_type"):
        broadcaster.publish(user_ids=[seeker.pk], event_type="notification", message="Hello")

    assert not Notification.objects.exists()


def test_publish_without_recipients_stores_and_pushes_nothing(listener, django_capture_on_commit_callbacks):
    listener.subscribe(groups.role_group("job_seeker"))

    with django_capture_on_commit_callbacks(execute=True):
        assert broadcaster.publish(event_type="notification", notification_type="info", message="to nobody") == []

    assert listener.received(timeout=0.3) == []
    assert not Notification.objects.exists()


# --- the two writers: a few rows in one statement, many by COPY --------------------------------------------
def _fields(row: Notification) -> dict:
    values = {field.attname: getattr(row, field.attname) for field in Notification._meta.concrete_fields}
    return {key: value for key, value in values.items() if key not in ("id", "recipient_id", "created_at", "read_at")}


@pytest.mark.parametrize("recipients", [3, COPY_FROM], ids=["few", "copy"])
def test_both_writers_store_what_the_orm_reads_back_and_push_the_frame_a_replay_sends(
    listener, django_capture_on_commit_callbacks, recipients
):
    """A few recipients go through one INSERT fed by a JSON record, many through COPY: either way the rows read
    back are the ones returned, and each pushed frame is the frame a replay makes from the stored row."""
    users = factories.SeekerFactory.create_batch(recipients)
    reader, quiet = users[0], users[1]
    notification_services.preferences_update(user=quiet, muted_types=["info"])
    # Many recipients' messages travel in batches on one channel.
    listener.subscribe(transport.BATCH_GROUP, *(groups.user_group(u.pk) for u in users[:3]))
    related = factories.JobFactory()

    with django_capture_on_commit_callbacks(execute=True):
        stored = broadcaster.publish(
            user_ids=[u.pk for u in users],
            event_type="notification",
            notification_type="info",
            title="T" * 250,
            message='Quotes " and \\ and ünïcode',
            payload={"nested": {"list": [1, "two", None]}, "flag": True},
            priority="high",
            related=related,
            expires_at=datetime(2031, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
            read_by=[reader.pk],
        )

    rows = {row.pk: row for row in Notification.objects.filter(pk__in=[n.pk for n in stored])}
    assert sorted(rows) == [n.pk for n in stored]
    for returned in stored:
        row = rows[returned.pk]
        assert _fields(row) == _fields(returned)
        assert (row.recipient_id, row.created_at, row.read_at) == (
            returned.recipient_id,
            returned.created_at,
            returned.read_at,
        )
    assert len(rows[stored[0].pk].title) == 200 and rows[stored[0].pk].channels == ["websocket"]
    by_user = {row.recipient_id: row for row in rows.values()}
    assert by_user[reader.pk].is_read and by_user[reader.pk].read_at == by_user[reader.pk].created_at
    assert by_user[quiet.pk].is_read and not by_user[users[2].pk].is_read
    # The muted user's copy is not pushed; the reader's (read, but theirs) is.
    pushed = {}
    for group, envelope in listener.received():
        pushed.update(envelope["b"] if group == transport.BATCH_GROUP else [(group, envelope)])
    pushed = {
        group: envelope for group, envelope in pushed.items() if group in {groups.user_group(u.pk) for u in users[:3]}
    }
    assert set(pushed) == {groups.user_group(reader.pk), groups.user_group(users[2].pk)}
    for user in (reader, users[2]):
        envelope = pushed[groups.user_group(user.pk)]
        # Equal as JSON: jsonb keeps an object's keys in an order of its own.
        assert json.loads(envelope["f"]) == json.loads(dumps(frame_of(by_user[user.pk])))
