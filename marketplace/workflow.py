"""The application status workflow (pure, no database)."""

from marketplace.choices import ApplicationStatus as S

FORWARD = {
    S.PENDING: S.REVIEWING,
    S.REVIEWING: S.SHORTLISTED,
    S.SHORTLISTED: S.INTERVIEW,
    S.INTERVIEW: S.OFFERED,
    S.OFFERED: S.ACCEPTED,
}
OPEN_STATES = frozenset(FORWARD)


def allowed_transitions(current: str, *, as_candidate: bool) -> list[str]:
    """The statuses an application in `current` may move to, for its candidate or for its employer."""
    if current not in OPEN_STATES:
        return []
    if as_candidate:
        return [S.WITHDRAWN.value]
    return [FORWARD[current].value, S.REJECTED.value]


def transition_error(current: str, new: str, *, as_candidate: bool) -> str | None:
    """None when the move is allowed, else a message naming the allowed moves."""
    allowed = allowed_transitions(current, as_candidate=as_candidate)
    if new in allowed:
        return None
    if not allowed:
        return f"An application that is '{current}' can no longer change status."
    return f"Cannot change status from '{current}' to '{new}'. Allowed: {', '.join(allowed)}."


def steps_to(current: str, target: str) -> list[str]:
    """The employer's moves that take an application from `current` to `target`: forward stage by stage (each
    stage is recorded, as a recruiter moving it by hand records it), or straight to rejected. Empty when
    `target` is not ahead of `current`."""
    if current not in OPEN_STATES:
        return []
    if target == S.REJECTED:
        return [S.REJECTED.value]
    path, stage = [], current
    while stage in FORWARD:
        stage = FORWARD[stage]
        path.append(stage.value)
        if stage == target:
            return path
    return []
