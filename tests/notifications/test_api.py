"""/api/notifications/ and /ws/status/: what a user sees of their stored events over REST."""

import threading
from datetime import timedelta

import pytest
from django.db import connections, transaction
from django.utils import timezone

from accounts.models import User
from notifications import services
from notifications.broadcaster import broadcaster
from notifications.models import Notification
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LIST = "/api/notifications/"


def note(user, notification_type: str = "info", text: str = "Hello") -> Notification:
    return broadcaster.publish(
        user_ids=[user.pk], event_type="notification", notification_type=notification_type, title=text, message=text
    )[0]


def status_change(user, new_status: str = "reviewing") -> Notification:
    return broadcaster.publish(
        user_ids=[user.pk],
        event_type="application_status_changed",
        message=f"Your application is now {new_status}",
        payload={"old_status": "pending", "new_status": new_status},
    )[0]


def job_posted(title: str = "Software Engineer", related=None) -> Notification:
    return broadcaster.publish(
        role="job_seeker",
        event_type="job_posted",
        message=f"New job posted: {title} at Tech Corp",
        payload={"job_title": title, "company": "Tech Corp"},
        related=related,
    )[0]


def announcement(text: str = "Maintenance tonight") -> Notification:
    """A role broadcast that concerns every job seeker (unlike a job post, which is news): it counts as unread."""
    return broadcaster.publish(
        role="job_seeker", event_type="notification", notification_type="system", title=text, message=text
    )[0]


def listed(client, query: str = "") -> list[int]:
    response = client.get(LIST + query)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.data["results"]]


def unread_count(client) -> int:
    response = client.get(LIST + "unread-count/")
    assert response.status_code == 200, response.content
    return response.data["count"]


@pytest.fixture
def other_seeker():
    return factories.SeekerFactory()


@pytest.fixture
def other_client(other_seeker):
    return client_for(other_seeker)


# --- list ---------------------------------------------------------------------------------------
def test_list_is_newest_first_with_own_events_and_role_broadcasts_only(seeker, seeker_client, other_seeker, recruiter):
    first = note(seeker, text="first")
    note(other_seeker, text="someone else's")
    broadcast = job_posted()
    note(recruiter, text="a recruiter's")
    broadcaster.publish(role="recruiter", event_type="notification", notification_type="info", message="recruiters")
    last = status_change(seeker)

    response = seeker_client.get(LIST)

    assert response.status_code == 200
    assert [item["id"] for item in response.data["results"]] == [last.pk, broadcast.pk, first.pk]
    item = response.data["results"][1]
    assert item["type"] == "job_posted"
    assert item["message"] == "New job posted: Software Engineer at Tech Corp"
    assert item["read"] is True  # a job post is news for every seeker, not unread (KAZI_AMBIENT_EVENT_TYPES)
    assert item["created_at"].endswith("Z")


def test_list_item_carries_the_contract_fields(seeker, seeker_client):
    job = factories.JobFactory()
    broadcast = job_posted(related=job)

    item = seeker_client.get(LIST).data["results"][0]

    assert item["id"] == broadcast.pk
    assert item["type"] == "job_posted"
    assert item["data"] == {"job_title": "Software Engineer", "company": "Tech Corp"}
    assert item["related_object"] == {"type": "job", "id": str(job.pk)}
    for field in ("notification_type", "title", "priority", "expires_at"):
        assert field in item


def test_a_seeker_who_registered_after_a_job_posted_does_not_see_it(seeker_client, api_client):
    old = job_posted("Before")
    response = api_client.post(
        "/api/auth/register/",
        {"email": "late@example.com", "password": factories.PASSWORD, "user_type": "job_seeker"},
        format="json",
    )
    assert response.status_code == 201, response.content
    late = client_for(User.objects.get(email="late@example.com"))
    new = job_posted("After")

    assert listed(late) == [new.pk]
    assert listed(seeker_client) == [new.pk, old.pk]
    assert late.get(f"{LIST}{old.pk}/").status_code == 404


def test_expired_notification_is_no_longer_listed_or_counted(seeker, seeker_client):
    broadcaster.publish(
        user_ids=[seeker.pk],
        event_type="notification",
        notification_type="warning",
        message="Offer ended",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    current = note(seeker)

    assert listed(seeker_client) == [current.pk]
    assert unread_count(seeker_client) == 1


def test_unauthenticated_list_is_401(api_client):
    assert api_client.get(LIST).status_code == 401


# --- filters ------------------------------------------------------------------------------------
def test_unread_filter(seeker, seeker_client):
    read = note(seeker, text="read me")
    unread = note(seeker, text="not yet")
    broadcast = announcement()
    posted = job_posted()  # news: never unread
    assert seeker_client.post(f"{LIST}{read.pk}/read/").status_code == 200

    assert listed(seeker_client, "?unread=true") == [broadcast.pk, unread.pk]
    assert listed(seeker_client, "?unread=false") == [posted.pk, read.pk]
    assert seeker_client.get(LIST + "?unread=maybe").status_code == 400


def test_type_filter_matches_event_type_and_generic_notification_type(seeker, seeker_client):
    posted = job_posted()
    match = note(seeker, notification_type="match_found")
    info = note(seeker, notification_type="info")
    changed = status_change(seeker)

    assert listed(seeker_client, "?type=job_posted") == [posted.pk]
    assert listed(seeker_client, "?type=application_status_changed") == [changed.pk]
    assert listed(seeker_client, "?type=match_found") == [match.pk]
    assert listed(seeker_client, "?type=notification") == [info.pk, match.pk]
    assert listed(seeker_client, "?type=interview_reminder") == []


def test_a_null_character_in_the_type_filter_is_a_400(seeker_client):
    # PostgreSQL takes no NUL in a text query: it was a 500.
    response = seeker_client.get(LIST, {"type": "job\x00posted"})

    assert response.status_code == 400
    assert "type" in response.data


# --- read state ---------------------------------------------------------------------------------
def test_unread_count(seeker, seeker_client):
    note(seeker)
    announcement()
    job_posted()  # news, not counted
    status_change(factories.SeekerFactory())

    response = seeker_client.get(LIST + "unread-count/")

    assert response.status_code == 200
    assert response.data == {"count": 2}


def test_read_marks_one_notification(seeker, seeker_client):
    target = note(seeker, text="target")
    note(seeker, text="untouched")

    response = seeker_client.post(f"{LIST}{target.pk}/read/")

    assert response.status_code == 200, response.content
    assert response.data["id"] == target.pk
    assert response.data["read"] is True
    assert unread_count(seeker_client) == 1
    assert seeker_client.post(f"{LIST}{target.pk}/read/").status_code == 200  # reading twice is harmless
    assert unread_count(seeker_client) == 1


def test_reading_a_role_broadcast_marks_it_read_only_for_that_user(seeker_client, other_client):
    broadcast = announcement()

    assert seeker_client.post(f"{LIST}{broadcast.pk}/read/").data["read"] is True

    assert seeker_client.get(LIST).data["results"][0]["read"] is True
    assert unread_count(seeker_client) == 0
    assert other_client.get(LIST).data["results"][0]["read"] is False
    assert unread_count(other_client) == 1


def test_read_all_marks_own_and_broadcast_events_for_the_caller_only(seeker, seeker_client, other_seeker, other_client):
    note(seeker)
    status_change(seeker)
    announcement()
    note(other_seeker)

    response = seeker_client.post(LIST + "read-all/")

    assert response.status_code == 200
    assert unread_count(seeker_client) == 0
    assert all(item["read"] for item in seeker_client.get(LIST).data["results"])
    assert unread_count(other_client) == 2
    announcement("Next one")
    assert unread_count(seeker_client) == 1


@pytest.mark.django_db(transaction=True)
def test_read_all_while_a_socket_acks_the_same_broadcast_marks_everything_read():
    """A socket acks a role broadcast at the moment the user presses "mark all read" in another tab."""
    seeker = factories.SeekerFactory()
    client = client_for(seeker)
    broadcast = announcement()
    ack_stored, release_ack = threading.Event(), threading.Event()

    def ack_from_socket():
        try:
            with transaction.atomic():
                services.notifications_ack(user=seeker, up_to_id=broadcast.pk)
                ack_stored.set()
                release_ack.wait(10)
        finally:
            connections.close_all()

    socket = threading.Thread(target=ack_from_socket)
    socket.start()
    assert ack_stored.wait(10)
    threading.Timer(1.0, release_ack.set).start()
    try:
        response = client.post(LIST + "read-all/")
    finally:
        release_ack.set()
        socket.join(10)

    assert response.status_code == 200
    assert unread_count(client) == 0
    assert client.get(LIST).data["results"][0]["read"] is True


# --- delete -------------------------------------------------------------------------------------
def test_delete_removes_own_notification(seeker, seeker_client):
    gone = note(seeker, text="gone")
    kept = note(seeker, text="kept")

    response = seeker_client.delete(f"{LIST}{gone.pk}/")

    assert response.status_code == 204
    assert listed(seeker_client) == [kept.pk]
    assert seeker_client.get(f"{LIST}{gone.pk}/").status_code == 404


def test_role_broadcast_deleted_by_one_seeker_stays_in_another_seekers_list(seeker_client, other_client):
    broadcast = announcement()

    assert seeker_client.delete(f"{LIST}{broadcast.pk}/").status_code == 204

    assert listed(seeker_client) == []
    assert unread_count(seeker_client) == 0
    assert listed(other_client) == [broadcast.pk]
    assert unread_count(other_client) == 1
    assert seeker_client.delete(f"{LIST}{broadcast.pk}/").status_code == 404


def test_a_job_post_is_listed_but_never_unread_and_the_bell_can_leave_it_out(seeker, seeker_client):
    # Issue 18: every job_posted broadcast counted, and a new seeker's bell read 99+.
    posted = job_posted()
    mine = status_change(seeker)

    assert unread_count(seeker_client) == 1
    assert listed(seeker_client, "?unread=true") == [mine.pk]
    assert listed(seeker_client) == [mine.pk, posted.pk]
    assert listed(seeker_client, "?exclude_type=job_posted") == [mine.pk]
    assert listed(seeker_client, "?exclude_type=job_posted,application_status_changed") == []
    assert seeker_client.get(LIST, {"exclude_type": "job\x00posted"}).status_code == 400


# --- isolation ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "suffix"), [("get", ""), ("post", "read/"), ("delete", "")], ids=["detail", "read", "delete"]
)
def test_another_users_notification_is_404(seeker, seeker_client, other_seeker, other_client, method, suffix):
    theirs = note(other_seeker, text="private")

    response = getattr(seeker_client, method)(f"{LIST}{theirs.pk}/{suffix}")

    assert response.status_code == 404
    theirs_after = other_client.get(LIST).data["results"][0]
    assert (theirs_after["id"], theirs_after["read"]) == (theirs.pk, False)


@pytest.mark.parametrize(("method", "suffix"), [("get", ""), ("post", "read/"), ("delete", "")])
def test_another_roles_broadcast_is_404_for_a_recruiter(recruiter_client, seeker_client, method, suffix):
    broadcast = job_posted()

    assert getattr(recruiter_client, method)(f"{LIST}{broadcast.pk}/{suffix}").status_code == 404
    assert listed(seeker_client) == [broadcast.pk]


def test_unknown_id_is_404(seeker_client):
    assert seeker_client.get(f"{LIST}999999999/").status_code == 404
    assert seeker_client.post(f"{LIST}999999999/read/").status_code == 404


# --- preferences --------------------------------------------------------------------------------
def test_preferences_default_to_nothing_muted_and_email_on(seeker_client):
    response = seeker_client.get(LIST + "preferences/")

    assert response.status_code == 200
    assert response.data["muted_types"] == []
    assert response.data["email_enabled"] is True


def test_preferences_put_round_trip(seeker_client):
    body = {"muted_types": ["job_posted", "match_found"], "email_enabled": True}

    put = seeker_client.put(LIST + "preferences/", body, format="json")

    assert put.status_code == 200, put.content
    assert put.data["muted_types"] == ["job_posted", "match_found"]
    got = seeker_client.get(LIST + "preferences/").data
    assert (got["muted_types"], got["email_enabled"]) == (["job_posted", "match_found"], True)
    cleared = seeker_client.put(LIST + "preferences/", {"muted_types": [], "email_enabled": False}, format="json")
    assert (cleared.data["muted_types"], cleared.data["email_enabled"]) == ([], False)


def test_options_on_preferences_describes_the_put_body(seeker_client, api_client):
    # DRF's metadata looked the route's object up by a pk it does not have: a 500 (found by the API fuzz).
    response = seeker_client.options(LIST + "preferences/")

    assert response.status_code == 200, response.content
    assert {"muted_types", "email_enabled"} <= set(response.data["actions"]["PUT"])
    assert api_client.options(LIST + "preferences/").status_code == 401


def test_muting_job_posted_stops_it_counting_as_unread(seeker_client):
    seeker_client.put(LIST + "preferences/", {"muted_types": ["job_posted"], "email_enabled": False}, format="json")

    job_posted()

    assert unread_count(seeker_client) == 0


@pytest.mark.parametrize(
    "body",
    [
        {"muted_types": "job_posted", "email_enabled": True},
        {"muted_types": [], "email_enabled": "sometimes"},
        {"muted_types": ["x" * 51], "email_enabled": False},
        {"muted_types": [{"type": "job_posted"}], "email_enabled": False},
    ],
    ids=["not-a-list", "bad-bool", "too-long", "not-strings"],
)
def test_bad_preferences_body_is_400_and_changes_nothing(seeker_client, body):
    response = seeker_client.put(LIST + "preferences/", body, format="json")

    assert response.status_code == 400, response.content
    assert set(response.data) <= {"muted_types", "email_enabled"} and response.data
    assert seeker_client.get(LIST + "preferences/").data["muted_types"] == []


# --- /ws/status/ --------------------------------------------------------------------------------
def test_socket_status_is_forbidden_to_a_seeker(seeker_client):
    assert seeker_client.get("/ws/status/").status_code == 403


def test_socket_status_for_an_admin(admin_client_jwt):
    response = admin_client_jwt.get("/ws/status/")

    assert response.status_code == 200, response.content
    assert {"active_connections", "active_users", "rooms", "resume_watchers"} <= set(response.data)
    assert isinstance(response.data["active_connections"], int)
    assert isinstance(response.data["active_users"], int)
    assert isinstance(response.data["rooms"], dict)
    assert isinstance(response.data["resume_watchers"], dict)


# --- query count --------------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [2, 20])
def test_list_query_count_does_not_grow_with_notifications(seeker, seeker_client, django_assert_num_queries, rows):
    job = factories.JobFactory()
    read_broadcast = job_posted(related=job)
    seeker_client.post(f"{LIST}{read_broadcast.pk}/read/")
    for i in range(rows - 2):
        if i % 2:
            job_posted(f"Job {i}", related=job)
        else:
            note(seeker, text=f"note {i}")
    status_change(seeker)

    # authentication, preferences, count, page
    with django_assert_num_queries(4):
        response = seeker_client.get(LIST)

    assert response.status_code == 200
    assert len(response.data["results"]) == rows
