"""ws/notifications/ through Channels' WebsocketCommunicator, on real PostgreSQL and Redis."""

import json

import pytest
from channels.db import database_sync_to_async

from notifications import hub as hub_module
from notifications.models import EventLogHorizon, Notification, NotificationPreference
from tests import factories
from tests.notifications.ws_helpers import connect, note, publish, receive, send
from tests.waiting import wait_until_async

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("_close_hub")]


@pytest.fixture
def seeker2(transactional_db):
    return factories.SeekerFactory()


async def closed_with(communicator) -> int:
    output = await communicator.receive_output(timeout=3)
    while output["type"] != "websocket.close":
        output = await communicator.receive_output(timeout=3)
    return output.get("code")


async def test_connection_established_tells_who_and_where(seeker):
    [event_id] = await publish(**note(seeker))
    communicator, first = await connect(seeker)
    message = json.loads(first["text"])
    assert message["type"] == "connection_established"
    assert message["user_type"] == "job_seeker"
    assert message["last_event_id"] == event_id
    assert message["timestamp"].endswith("Z")
    await communicator.disconnect()


# --- client messages ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        ('{"type": "subscribe"}', "notification_types"),
        ('{"type": "join_room"}', "Missing field: room"),
        ('{"type": "ack", "id": "x"}', "Missing field: id"),
        ('{"type": "resume"}', "last_event_id"),
    ],
)
async def test_bad_input_gets_an_error_and_the_socket_stays_open(seeker, frame, expected):
    communicator, _ = await connect(seeker)
    await send(communicator, frame)
    error = await receive(communicator)
    assert error["type"] == "error"
    assert expected in error["message"]
    await send(communicator, {"type": "ping"})
    assert (await receive(communicator))["type"] == "pong"
    await communicator.disconnect()


async def test_subscribe_narrows_and_unsubscribe_removes(seeker):
    communicator, _ = await connect(seeker)
    await send(communicator, {"type": "subscribe", "notification_types": ["match_score_calculated"]})
    answer = await receive(communicator)
    assert answer["type"] == "subscribed"
    assert answer["notification_types"] == ["match_score_calculated"]
    await publish(**note(seeker, "filtered out"))
    await publish(
        user_ids=[seeker.pk],
        event_type="match_score_calculated",
        message="Excellent match!",
        payload={"job_id": "1", "job_title": "Dev", "match_score": 87.5},
    )
    event = await receive(communicator)
    assert event["type"] == "match_score_calculated"
    assert event["match_score"] == 87.5
    await send(communicator, {"type": "unsubscribe", "notification_types": ["match_score_calculated"]})
    answer = await receive(communicator)
    assert answer["type"] == "subscribed" and answer["notification_types"] == []
    await communicator.disconnect()


# --- rooms and resumes ----------------------------------------------------------------------
async def test_seeker_cannot_join_recruiters(seeker):
    communicator, _ = await connect(seeker)
    await send(communicator, {"type": "join_room", "room": "recruiters"})
    error = await receive(communicator)
    assert error["type"] == "error" and "recruiters" in error["message"]
    await communicator.disconnect()


async def test_recruiter_joins_recruiters_but_not_admins(recruiter):
    communicator, _ = await connect(recruiter)
    await send(communicator, {"type": "join_room", "room": "recruiters"})
    assert (await receive(communicator))["type"] == "room_joined"
    await send(communicator, {"type": "join_room", "room": "admins"})
    assert (await receive(communicator))["type"] == "error"
    await send(communicator, {"type": "join_room", "room": "lobby"})
    assert (await receive(communicator))["type"] == "error"
    await send(communicator, {"type": "leave_room", "room": "recruiters"})
    assert (await receive(communicator))["type"] == "room_left"
    await communicator.disconnect()


async def test_admin_joins_admins(admin_user):
    communicator, _ = await connect(admin_user)
    await send(communicator, {"type": "join_room", "room": "admins"})
    assert (await receive(communicator)) | {"timestamp": None} == {
        "type": "room_joined",
        "room": "admins",
        "timestamp": None,
    }
    await communicator.disconnect()


# --- live delivery, isolation, replay -----------------------------------------------------------
async def test_live_event_reaches_every_socket_of_the_user_and_no_one_else(seeker, seeker2):
    first, _ = await connect(seeker)
    second, _ = await connect(seeker)
    other, _ = await connect(seeker2)
    [event_id] = await publish(**note(seeker, "for you"))
    for communicator in (first, second):
        event = await receive(communicator)
        assert event["type"] == "notification"
        assert event["id"] == event_id
        assert event["notification_type"] == "info"
        assert event["title"] == "for you"
    assert await other.receive_nothing(timeout=0.5)
    for communicator in (first, second, other):
        await communicator.disconnect()


async def test_role_broadcast_reaches_seekers_not_recruiters(seeker, recruiter):
    seeker_socket, _ = await connect(seeker)
    recruiter_socket, _ = await connect(recruiter)
    await publish(
        role="job_seeker",
        event_type="job_posted",
        message="New job posted: Dev at Acme",
        payload={"job_id": "7", "job_title": "Dev", "company": "Acme", "location": "Remote"},
    )
    event = await receive(seeker_socket)
    assert event["type"] == "job_posted" and event["company"] == "Acme"
    assert await recruiter_socket.receive_nothing(timeout=0.5)
    await seeker_socket.disconnect()
    await recruiter_socket.disconnect()


async def test_replay_after_last_event_id_then_live_without_gap_or_duplicate(seeker):
    ids = [(await publish(**note(seeker, f"n{i}")))[0] for i in range(5)]
    communicator, first = await connect(seeker, query=f"last_event_id={ids[1]}")
    assert json.loads(first["text"])["last_event_id"] == ids[-1]
    replayed = [await receive(communicator) for _ in range(3)]
    assert [event["id"] for event in replayed] == ids[2:]
    [live_id] = await publish(**note(seeker, "live"))
    assert (await receive(communicator))["id"] == live_id
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_resume_message_replays(seeker):
    communicator, _ = await connect(seeker)
    ids = []
    for i in range(3):
        ids += await publish(**note(seeker, f"n{i}"))
    assert [(await receive(communicator))["id"] for _ in range(3)] == ids
    await send(communicator, {"type": "resume", "last_event_id": ids[0]})
    assert await communicator.receive_nothing(timeout=0.3), "already sent events are not sent twice"
    await communicator.disconnect()
    again, _ = await connect(seeker)
    await send(again, {"type": "resume", "last_event_id": ids[0]})
    assert [(await receive(again))["id"] for _ in range(2)] == ids[1:]
    await again.disconnect()


async def test_resync_required_when_the_id_is_older_than_what_is_kept(seeker):
    [event_id] = await publish(**note(seeker))
    await database_sync_to_async(EventLogHorizon.objects.create)(pk=1, pruned_through_id=event_id + 100)
    communicator, _ = await connect(seeker, query=f"last_event_id={event_id}")
    resync = await receive(communicator)
    assert resync["type"] == "resync_required"
    assert resync["last_event_id"] == event_id
    await communicator.disconnect()


async def test_ack_marks_delivered(seeker):
    communicator, _ = await connect(seeker)
    [event_id] = await publish(**note(seeker))
    assert (await receive(communicator))["id"] == event_id
    await send(communicator, {"type": "ack", "id": event_id})
    await send(communicator, {"type": "ping"})
    assert (await receive(communicator))["type"] == "pong"
    delivered = await database_sync_to_async(lambda: Notification.objects.get(pk=event_id).delivered_at)()
    assert delivered is not None
    await communicator.disconnect()


async def test_muted_type_is_not_pushed(seeker):
    await database_sync_to_async(NotificationPreference.objects.create)(user=seeker, muted_types=["info"])
    communicator, _ = await connect(seeker)
    [event_id] = await publish(**note(seeker))
    assert await communicator.receive_nothing(timeout=0.5)
    is_read = await database_sync_to_async(lambda: Notification.objects.get(pk=event_id).is_read)()
    assert is_read
    await communicator.disconnect()


async def test_slow_consumer_is_closed_4008_not_silently_dropped(seeker, settings):
    settings.KAZI_WS_SEND_QUEUE = 10
    communicator, _ = await connect(seeker)
    [consumer] = list(hub_module.get_hub().sockets)
    # The sender task gets no turn while this loop runs: the queue overflows as with a stalled client.
    # Ids above any the test database's sequence has handed out (a socket skips ids at or below its start).
    for i in range(11):
        consumer.deliver("user.x", {"id": 10**12 + i, "t": "notification", "n": "info", "f": "{}"})
    assert await closed_with(communicator) == 4008


async def test_redis_outage_is_recovered_by_replay(seeker):
    communicator, _ = await connect(seeker)
    hub = hub_module.get_hub()
    # Break the hub's subscription as a Redis restart would; events published meanwhile are only in the store.
    await hub._connection.disconnect()
    ids = []
    for i in range(3):
        ids += await publish(**note(seeker, f"during outage {i}"))
    received = [(await receive(communicator, timeout=5))["id"] for _ in range(3)]
    assert received == ids
    assert hub.reconnects >= 1
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_disconnect_leaves_the_hub(seeker):
    communicator, _ = await connect(seeker)
    hub = hub_module.get_hub()
    assert [socket.user_id for socket in hub.sockets] == [seeker.pk]
    await communicator.disconnect()
    await wait_until_async(lambda: not hub.sockets, timeout=5, what="the socket leaving the hub")
    assert not hub.members


# --- presence --------------------------------------------------------------------------------
@database_sync_to_async
def start_conversation(*users):
    from chat.models import Conversation, Participant

    conversation = Conversation.objects.create(kind="direct")
    for user in users:
        Participant.objects.create(conversation=conversation, user=user)
    return conversation


async def test_presence_goes_to_partners_on_first_open_and_last_close(seeker, recruiter, seeker2):
    await start_conversation(seeker, recruiter)
    partner, _ = await connect(recruiter)
    stranger, _ = await connect(seeker2)
    first, _ = await connect(seeker)
    online = await receive(partner)
    assert online["type"] == "presence"
    assert online["user_id"] == str(seeker.pk) and online["online"] is True
    second, _ = await connect(seeker)
    await first.disconnect()
    assert await partner.receive_nothing(timeout=0.5), "still online through the second socket"
    await second.disconnect()
    offline = await receive(partner)
    assert offline["online"] is False and offline["last_seen"].endswith("Z")
    assert await stranger.receive_nothing(timeout=0.2), "presence only reaches conversation partners"
    await partner.disconnect()
    await stranger.disconnect()


async def test_replay_respects_the_subscription_filter(seeker):
    [note_id] = await publish(**note(seeker, "a note"))
    [match_id] = await publish(
        user_ids=[seeker.pk], event_type="match_score_calculated", message="match", payload={"match_score": 90.0}
    )
    communicator, _ = await connect(seeker)
    await send(communicator, {"type": "subscribe", "notification_types": ["match_score_calculated"]})
    assert (await receive(communicator))["type"] == "subscribed"
    await send(communicator, {"type": "resume", "last_event_id": note_id - 1})
    assert (await receive(communicator))["id"] == match_id
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_a_reconnect_with_its_filter_replays_only_the_types_it_had_subscribed(seeker):
    first, _ = await connect(seeker)
    await send(first, {"type": "unsubscribe", "notification_types": ["job_posted"]})
    kept = (await receive(first))["notification_types"]
    [seen] = await publish(**note(seeker, "seen before the drop"))
    assert (await receive(first))["id"] == seen
    await first.disconnect()

    await publish(role="job_seeker", event_type="job_posted", message="New job posted: X at Y", payload={})
    [missed] = await publish(**note(seeker, "missed while away"))
    again, _ = await connect(seeker, query=f"last_event_id={seen}&notification_types={','.join(kept)}")
    assert (await receive(again))["id"] == missed, "the job_posted it had unsubscribed from is not replayed"
    await publish(role="job_seeker", event_type="job_posted", message="New job posted: Z at W", payload={})
    assert await again.receive_nothing(timeout=0.5), "nor sent live"
    await again.disconnect()


async def test_an_empty_filter_on_reconnect_lets_nothing_through(seeker):
    [event_id] = await publish(**note(seeker, "n"))
    communicator, _ = await connect(seeker, query=f"last_event_id={event_id - 1}&notification_types=")
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


async def test_muting_applies_to_open_sockets_at_once(seeker):
    from notifications.services import preferences_update

    communicator, _ = await connect(seeker)
    await database_sync_to_async(preferences_update)(user=seeker, muted_types=["job_posted"])
    update = await receive(communicator)
    assert update["type"] == "preferences_updated" and update["muted_types"] == ["job_posted"]
    await publish(role="job_seeker", event_type="job_posted", message="New job posted: X at Y", payload={})
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


@pytest.mark.parametrize("value", ["²", "-1", "1.5", "abc"])
async def test_non_numeric_ids_get_an_error_not_a_crash(seeker, value):
    communicator, _ = await connect(seeker)
    await send(communicator, {"type": "ack", "id": value})
    assert (await receive(communicator))["type"] == "error"
    await send(communicator, {"type": "ping"})
    assert (await receive(communicator))["type"] == "pong"
    await communicator.disconnect()


async def test_a_last_event_id_from_the_future_does_not_hide_new_events(seeker):
    communicator, _ = await connect(seeker, query="last_event_id=999999999")
    [event_id] = await publish(**note(seeker, "new"))
    assert (await receive(communicator))["id"] == event_id
    await communicator.disconnect()


async def test_an_event_to_many_users_is_copied_and_batched_and_reaches_each(seeker, seeker2):
    from accounts.models import User
    from notifications.broadcaster import COPY_FROM
    from notifications.transport import BATCH_FROM

    @database_sync_to_async
    def crowd():
        count = max(COPY_FROM, BATCH_FROM)
        users = User.objects.bulk_create(User(email=f"crowd{i}@example.com") for i in range(count))
        return [user.pk for user in users]

    many = [seeker.pk, seeker2.pk, *(await crowd())]
    first, _ = await connect(seeker)
    second, _ = await connect(seeker2)
    stored = await publish(**note(seeker, "to everyone") | {"user_ids": many})
    assert len(stored) == len(many) and stored == sorted(stored)
    for communicator, event_id in ((first, stored[0]), (second, stored[1])):
        event = await receive(communicator)
        assert event["id"] == event_id and event["title"] == "to everyone"
        assert await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()
    count = await database_sync_to_async(Notification.objects.filter(title="to everyone").count)()
    assert count == len(many)


async def test_a_lost_publish_is_read_from_the_store_and_one_that_arrives_late_is_not(seeker, monkeypatch):
    """A committed event a socket wants is awaited over Redis for ARRIVAL_GRACE_SECONDS, the pass stopping just
    below it (nothing later overtakes it); past the grace it is read from the store."""
    communicator, _ = await connect(seeker)
    hub = hub_module.get_hub()
    reads = []
    real_envelopes_of = hub_module.event_log.envelopes_of
    monkeypatch.setattr(hub_module.event_log, "envelopes_of", lambda ids: reads.append(ids) or real_envelopes_of(ids))
    published = []
    monkeypatch.setattr(hub_module.transport, "publish", lambda messages: published.extend(messages) or 0)

    [lost] = await publish(**note(seeker, "lost"))
    [late] = await publish(**note(seeker, "late"))
    # Within the grace, neither is read from the store, and nothing is handed over past them.
    assert await communicator.receive_nothing(timeout=hub_module.ARRIVAL_GRACE_SECONDS / 2)
    assert reads == [] and hub.cursor < lost
    # The second one's publish arrives (late, but within its grace): it is taken from Redis, after the first,
    # which never arrives and is read from the store once its grace is over.
    group, envelope = published[1]
    hub._arrive(group, envelope)
    assert [(await receive(communicator, timeout=5))["id"] for _ in range(2)] == [lost, late]
    assert [lost] in reads and all(late not in ids for ids in reads)
    await communicator.disconnect()
