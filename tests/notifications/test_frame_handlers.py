"""The registries through which other apps extend the sockets (sockets/frame_handlers.py, presence audiences)."""

import pytest

from chat import selectors as chat_selectors
from chat import socket as chat_socket
from notifications import presence
from notifications.consumers import NotificationConsumer
from notifications.sockets import frame_handlers
from resumes import socket as resumes_socket


@pytest.fixture
def registries(monkeypatch):
    """Empty registries for the test; the apps' own registrations come back after it."""
    monkeypatch.setattr(frame_handlers, "handlers", {})
    monkeypatch.setattr(frame_handlers, "live_filters", {})
    monkeypatch.setattr(frame_handlers, "close_hooks", [])
    monkeypatch.setattr(presence, "_audiences", [])


def test_the_apps_register_their_frames_at_startup():
    assert frame_handlers.handlers["message"] is chat_socket.on_message
    assert frame_handlers.handlers["typing"] is chat_socket.on_typing
    assert frame_handlers.handlers["watch_resume"] is resumes_socket.on_watch_resume
    assert frame_handlers.handlers["unwatch_resume"] is resumes_socket.on_unwatch_resume
    assert frame_handlers.live_filters["resume_progress"] is resumes_socket.live_progress
    assert chat_socket.stop_typing in frame_handlers.close_hooks
    assert chat_selectors.conversation_partners_of in presence._audiences


def test_registered_frames_never_shadow_the_sockets_own():
    assert not set(frame_handlers.handlers) & set(NotificationConsumer.handlers)


@pytest.mark.usefixtures("registries")
def test_registering_the_same_handler_again_is_harmless_and_a_second_handler_is_refused():
    async def first(socket, message): ...

    async def second(socket, message): ...

    frame_handlers.register("wave", first)
    frame_handlers.register("wave", first)
    with pytest.raises(ValueError, match="'wave' is already handled"):
        frame_handlers.register("wave", second)
    assert frame_handlers.handlers == {"wave": first}
    frame_handlers.register_live_filter("waved", lambda socket, envelope: True)
    with pytest.raises(ValueError):
        frame_handlers.register_live_filter("waved", lambda socket, envelope: False)


@pytest.mark.usefixtures("registries")
def test_close_hooks_run_in_registration_order_each_once():
    async def one(socket): ...

    async def two(socket): ...

    for hook in (one, two, one):
        frame_handlers.register_close_hook(hook)
    assert frame_handlers.close_hooks == [one, two]


@pytest.mark.usefixtures("registries")
def test_the_presence_audience_is_every_providers_users_once_in_order():
    presence.register_audience(lambda user_ids: {user_id: [3, 1] for user_id in user_ids})
    presence.register_audience(lambda user_ids: {user_id: [1, user_id] for user_id in user_ids})
    assert presence.audience_of(7) == [3, 1, 7]
    assert presence.audiences_of([7, 8]) == {7: [3, 1, 7], 8: [3, 1, 8]}


@pytest.mark.usefixtures("registries")
def test_without_providers_no_one_hears_of_presence():
    assert presence.audience_of(7) == []
