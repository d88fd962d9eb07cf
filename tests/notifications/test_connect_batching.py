"""A reconnect storm asks the store once for many sockets: the same answers as one socket at a time, in a fixed
number of queries whatever the number of sockets."""

import asyncio
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import selectors, services
from notifications.broadcaster import broadcaster
from notifications.models import Notification, NotificationReceipt
from notifications.sockets.batching import Batcher
from tests import factories

pytestmark = pytest.mark.django_db


def note(user, text: str, **extra) -> Notification:
    return broadcaster.publish(
        user_ids=[user.pk], event_type="notification", notification_type="info", title=text, message=text, **extra
    )[0]


def job_posted(text: str) -> Notification:
    return broadcaster.publish(role="job_seeker", event_type="job_posted", message=text)[0]


def newest() -> int:
    # Not event_log.horizon(): this test's own transaction holds the marks of what it published.
    return Notification.objects.order_by("-id").values_list("id", flat=True)[0]


@pytest.fixture
def log():
    """Seekers and a recruiter with personal events, role broadcasts before and after one of them joined, a muted
    kind, a deleted broadcast and an expired event."""
    early, recruiter = factories.SeekerFactory(), factories.RecruiterFactory()
    first = job_posted("before the late seeker joined")
    late = factories.SeekerFactory()
    late.date_joined = timezone.now()
    late.save(update_fields=["date_joined"])
    mid = note(early, "for the early seeker")
    second = job_posted("after both joined")
    note(late, "for the late seeker")
    broadcaster.publish(user_ids=[early.pk], event_type="new_message", payload={"m": 1})
    services.preferences_update(user=early, muted_types=["new_message"])
    NotificationReceipt.objects.create(notification=second, user=late, deleted_at=timezone.now())
    note(recruiter, "for the recruiter")
    note(early, "gone", expires_at=timezone.now() - timedelta(seconds=1))
    job_posted("the newest")
    return {"early": early, "late": late, "recruiter": recruiter, "first": first, "mid": mid}


def test_replay_of_many_sockets_is_what_each_replays_alone(log):
    top = newest()
    early, late, recruiter = log["early"], log["late"], log["recruiter"]
    keys = [
        (early.pk, 0, top),
        (early.pk, log["mid"].pk, top),
        (early.pk, 0, log["mid"].pk),
        (late.pk, 0, top),
        (late.pk, log["first"].pk, top),
        (recruiter.pk, 0, top),
    ]
    users = {user.pk: user for user in (early, late, recruiter)}

    together = selectors.replay_many(keys)

    for key in keys:
        alone = selectors.replay_after(users[key[0]], key[1], up_to=key[2])
        assert [(e.id, e.frame_text) for e in together[key]] == [(e.id, e.frame_text) for e in alone], key
    # What a seeker sees: its own events and its role's since it joined, less what it muted, deleted or expired.
    assert [e.id for e in together[(late.pk, 0, top)]] == [
        e.pk
        for e in Notification.objects.filter(id__gt=log["first"].pk).order_by("id")
        if (e.recipient_id == late.pk or e.audience == "job_seeker") and e.message != "after both joined"
    ]


def test_replay_past_the_limit_asks_to_resync_as_one_socket_would(log, settings):
    settings.KAZI_REPLAY_MAX_EVENTS = 10
    early = log["early"]
    for i in range(11):
        note(early, f"burst {i}")
    top = newest()

    [replay] = selectors.replay_many([(early.pk, 0, top)]).values()

    assert isinstance(replay, selectors.ResyncRequired)
    assert replay.latest_id == selectors.latest_event_id(early, up_to=top)


def test_many_sockets_read_their_replay_in_a_fixed_number_of_queries(log, django_assert_max_num_queries):
    seekers = factories.SeekerFactory.create_batch(30)
    for seeker in seekers:
        note(seeker, "hello")
    job_posted("for all")
    top = newest()
    keys = [(seeker.pk, log["mid"].pk, top) for seeker in seekers]

    # users, the lowest id's stamp (the partition bound), own events, broadcasts, muted types, hidden, pruned mark
    with django_assert_max_num_queries(7):
        replays = selectors.replay_many(keys)

    assert all(len(replays[key]) == 2 for key in keys)
    # One frame object per broadcast, shared by every socket.
    assert len({id(replays[key][-1]) for key in keys}) == 1


def test_connect_state_of_many_sockets_is_one_query(log, django_assert_num_queries):
    users = [log["early"], log["late"], log["recruiter"], *factories.SeekerFactory.create_batch(20)]
    top = newest()
    keys = [(user.pk, top) for user in users]

    with django_assert_num_queries(1):
        states = selectors.connect_states(keys)

    for user in users:
        assert states[(user.pk, top)] == (
            selectors.latest_event_id(user, up_to=top),
            selectors.muted_types_of(user),
        )
    assert states[(log["early"].pk, top)][1] == ["new_message"]


def test_concurrent_asks_are_loaded_together_and_a_lone_one_at_once():
    loads = []

    async def load(keys):
        loads.append(sorted(keys))
        await asyncio.sleep(0.01)
        return {key: key * 10 for key in keys}

    async def scenario():
        batcher = Batcher(load)
        first = await asyncio.gather(*(batcher.get(k) for k in range(5)))
        second = await batcher.get(7)
        return first, second

    first, second = asyncio.run(scenario())

    assert first == [0, 10, 20, 30, 40]
    assert second == 70
    assert loads == [[0, 1, 2, 3, 4], [7]]


def test_a_failed_load_fails_each_of_its_callers():
    async def load(keys):
        raise ConnectionError("store away")

    async def scenario():
        batcher = Batcher(load)
        return await asyncio.gather(batcher.get(1), batcher.get(2), return_exceptions=True)

    assert all(isinstance(outcome, ConnectionError) for outcome in asyncio.run(scenario()))


def test_a_socket_asking_from_further_back_than_the_shared_read_replays_alone(log, settings):
    settings.KAZI_REPLAY_MAX_EVENTS = 10
    posts = [job_posted(f"job {i}") for i in range(6)]
    newcomer = factories.SeekerFactory()  # sees only the broadcasts made after it joined
    newcomer.date_joined = timezone.now()
    newcomer.save(update_fields=["date_joined"])
    posts += [job_posted(f"job {i}") for i in range(6, 12)]
    top = newest()
    early = log["early"]
    keys = [(early.pk, posts[8].pk, top), (early.pk, log["first"].pk, top), (newcomer.pk, 0, top)]

    together = selectors.replay_many(keys)

    assert [e.id for e in together[keys[0]]] == [p.pk for p in posts[9:]]
    assert isinstance(together[keys[1]], selectors.ResyncRequired)
    alone = selectors.replay_after(newcomer, 0, up_to=top)
    assert [e.id for e in together[keys[2]]] == [e.id for e in alone] == [p.pk for p in posts[6:]]
