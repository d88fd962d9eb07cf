"""The messages of ws/interviews/{id}/ (pure): what a participant may send, what the others receive.

A relayed message leaves the server with `from` (the sender's user id) and `connection_id`
(the sender's socket). A client may add `session`, an id of its page that survives reconnects
of the socket, so that a peer can tell a reloaded page (whose old peer connection is dead) from
a page whose signaling socket merely reconnected (whose media may still flow).
"""

import re

RELAYED = ("offer", "answer", "ice_candidate", "hello")

_MISSING = object()
_SESSION = re.compile(r"[A-Za-z0-9_-]{1,64}")


class BadMessage(ValueError):
    """A client message that cannot be relayed; its text goes back to the client as an `error`."""


def peer_id(value, *, sender_id: int, participant_ids: set[int]) -> int | None:
    """The recipient named by `to` (a participant's user id, as a string or a number); None for everyone."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise BadMessage("`to` must be a participant's user id.")
    text = str(value)
    if not (text.isascii() and text.isdigit()):
        raise BadMessage("`to` must be a participant's user id.")
    recipient = int(text)
    if recipient == sender_id:
        raise BadMessage("`to` names yourself: send to another participant.")
    if recipient not in participant_ids:
        raise BadMessage(f"No participant {text} in this interview.")
    return recipient


def relay_frame(
    message: dict, *, sender_id: int, connection_id: str, participant_ids: set[int]
) -> tuple[int | None, dict]:
    """(the recipient's user id or None for every other participant, the frame they receive)."""
    kind = message["type"]
    recipient = peer_id(message.get("to"), sender_id=sender_id, participant_ids=participant_ids)
    frame: dict = {"type": kind, "from": str(sender_id), "connection_id": connection_id}
    if recipient is not None:
        frame["to"] = str(recipient)
    session = message.get("session")
    if session is not None:
        if not isinstance(session, str) or not _SESSION.fullmatch(session):
            raise BadMessage("`session` must be 1 to 64 letters, digits, '-' or '_'.")
        frame["session"] = session
    if kind in ("offer", "answer"):
        sdp = message.get("sdp")
        if not isinstance(sdp, str) or not sdp:
            raise BadMessage("Missing field: sdp (the session description text)")
        frame["sdp"] = sdp
        if kind == "offer" and message.get("ice_restart") is True:
            frame["ice_restart"] = True
    elif kind == "ice_candidate":
        candidate = message.get("candidate", _MISSING)
        if candidate is _MISSING or not (candidate is None or isinstance(candidate, dict)):
            raise BadMessage("Missing field: candidate (an RTCIceCandidate as JSON, or null when gathering ended)")
        frame["candidate"] = candidate
    return recipient, frame


def quality_stats(message: dict) -> dict:
    """The report a `connection_quality` message carries: the metrics at top level or under `stats`."""
    stats = message.get("stats")
    if stats is None:
        return {key: value for key, value in message.items() if key != "type"}
    if not isinstance(stats, dict):
        raise BadMessage("`stats` must be a JSON object.")
    return stats
