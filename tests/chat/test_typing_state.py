"""Typing indicators of one socket: coalesced to one every 2 s, expiring after 5 s without a refresh (fake clock)."""

import pytest

from chat.typing_state import COALESCE_SECONDS, EXPIRE_SECONDS, TypingState


class FakeClock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def state(clock):
    return TypingState(clock)


def test_the_documented_intervals():
    assert COALESCE_SECONDS == 2.0
    assert EXPIRE_SECONDS == 5.0


def test_first_typing_is_sent_a_second_within_2_s_is_not_and_after_2_s_it_is(state, clock):
    assert state.signal("c1", True) is True
    clock.advance(1.0)
    assert state.signal("c1", True) is False
    clock.advance(0.99)
    assert state.signal("c1", True) is False
    clock.advance(0.01)  # 2 s after the first one sent
    assert state.signal("c1", True) is True
    clock.advance(1.5)
    assert state.signal("c1", True) is False


def test_a_key_press_every_half_second_sends_one_frame_every_2_s(state, clock):
    sent = []
    for tick in range(20):  # 10 seconds of typing
        if state.signal("c1", True):
            sent.append(tick * 0.5)
        clock.advance(0.5)

    assert sent == [0.0, 2.0, 4.0, 6.0, 8.0]


def test_conversations_are_coalesced_separately(state, clock):
    assert state.signal("c1", True) is True
    clock.advance(0.5)
    assert state.signal("c2", True) is True
    assert state.signal("c1", True) is False
    assert sorted(state.active()) == ["c1", "c2"]


def test_typing_expires_after_5_s_without_refresh_once(state, clock):
    state.signal("c1", True)

    clock.advance(4.99)
    assert state.expired() == []
    clock.advance(0.01)
    assert state.expired() == ["c1"]
    assert state.expired() == []  # reported once only
    clock.advance(10)
    assert state.expired() == []
    assert state.active() == []


def test_a_coalesced_refresh_still_keeps_typing_alive(state, clock):
    state.signal("c1", True)
    clock.advance(1.5)
    assert state.signal("c1", True) is False  # not sent on, but the user is still typing

    clock.advance(4.0)  # 5.5 s after the first, 4 s after the refresh
    assert state.expired() == []
    clock.advance(1.0)
    assert state.expired() == ["c1"]


def test_only_the_stale_conversation_expires(state, clock):
    state.signal("c1", True)
    clock.advance(3)
    state.signal("c2", True)
    clock.advance(2)

    assert state.expired() == ["c1"]
    assert state.active() == ["c2"]
    clock.advance(3)
    assert state.expired() == ["c2"]


def test_typing_again_after_expiry_is_sent_at_once(state, clock):
    state.signal("c1", True)
    clock.advance(EXPIRE_SECONDS)
    assert state.expired() == ["c1"]

    assert state.signal("c1", True) is True


def test_stop_typing_is_sent_only_if_typing_was_active(state, clock):
    assert state.signal("c1", False) is False  # never typed

    state.signal("c1", True)
    clock.advance(0.5)
    assert state.signal("c1", False) is True
    assert state.signal("c1", False) is False  # already stopped
    assert state.active() == []


def test_stop_after_expiry_is_not_sent_again(state, clock):
    state.signal("c1", True)
    clock.advance(6)
    assert state.expired() == ["c1"]

    assert state.signal("c1", False) is False


def test_typing_right_after_a_stop_is_sent_at_once(state, clock):
    state.signal("c1", True)
    clock.advance(0.5)
    state.signal("c1", False)
    clock.advance(0.1)

    assert state.signal("c1", True) is True
    assert state.expired() == []
