"""The application status workflow on its own (pure: no database)."""

import pytest

from marketplace.choices import ApplicationStatus
from marketplace.workflow import allowed_transitions, transition_error

FORWARD = ["pending", "reviewing", "shortlisted", "interview", "offered", "accepted"]
OPEN_STATES = FORWARD[:-1]
CLOSED_STATES = ["accepted", "rejected", "withdrawn"]
ALL_STATES = [choice.value for choice in ApplicationStatus]


def test_every_status_is_either_open_or_closed():
    assert sorted(OPEN_STATES + CLOSED_STATES) == sorted(ALL_STATES)


@pytest.mark.parametrize(("current", "following"), list(zip(FORWARD, FORWARD[1:], strict=False)))
def test_employer_moves_one_step_forward_or_rejects(current, following):
    assert allowed_transitions(current, as_candidate=False) == [following, "rejected"]
    assert transition_error(current, following, as_candidate=False) is None
    assert transition_error(current, "rejected", as_candidate=False) is None


@pytest.mark.parametrize("current", OPEN_STATES)
def test_candidate_may_only_withdraw_from_an_open_state(current):
    assert allowed_transitions(current, as_candidate=True) == ["withdrawn"]
    assert transition_error(current, "withdrawn", as_candidate=True) is None


@pytest.mark.parametrize("current", CLOSED_STATES)
@pytest.mark.parametrize("as_candidate", [True, False])
def test_closed_states_allow_nothing(current, as_candidate):
    assert allowed_transitions(current, as_candidate=as_candidate) == []
    for new in ALL_STATES:
        message = transition_error(current, new, as_candidate=as_candidate)
        assert message is not None
        assert "no longer" in message


@pytest.mark.parametrize("current", OPEN_STATES)
@pytest.mark.parametrize("as_candidate", [True, False])
def test_every_other_move_is_refused_naming_the_allowed_ones(current, as_candidate):
    allowed = allowed_transitions(current, as_candidate=as_candidate)
    for new in ALL_STATES:
        message = transition_error(current, new, as_candidate=as_candidate)
        if new in allowed:
            assert message is None
        else:
            assert message is not None, (current, new)
            assert f"'{current}'" in message and f"'{new}'" in message
            assert message.endswith(f"Allowed: {', '.join(allowed)}.")


def test_the_employer_cannot_withdraw_for_the_candidate():
    assert "withdrawn" not in allowed_transitions("pending", as_candidate=False)


def test_the_candidate_cannot_advance_their_own_application():
    assert transition_error("pending", "reviewing", as_candidate=True) == (
        "Cannot change status from 'pending' to 'reviewing'. Allowed: withdrawn."
    )


@pytest.mark.parametrize("nonsense", ["", "hired", "PENDING"])
def test_unknown_statuses_are_refused(nonsense):
    assert transition_error("pending", nonsense, as_candidate=False) is not None
    assert allowed_transitions(nonsense, as_candidate=False) == []
