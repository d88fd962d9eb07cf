"""Typing indicators of one socket: coalesced and self-expiring (pure; the clock is injected).

At most one `is_typing: true` per conversation every COALESCE_SECONDS; a
conversation with no refresh for EXPIRE_SECONDS stops typing by itself.
"""

from collections.abc import Callable

COALESCE_SECONDS = 2.0
EXPIRE_SECONDS = 5.0


class TypingState:
    def __init__(self, clock: Callable[[], float]):
        self._clock = clock
        self._last_sent: dict[str, float] = {}
        self._last_seen: dict[str, float] = {}

    def signal(self, conversation_id: str, is_typing: bool) -> bool:
        """Record a typing frame from the client; True when it should be sent on to the others."""
        now = self._clock()
        if not is_typing:
            was_typing = conversation_id in self._last_seen
            self._last_seen.pop(conversation_id, None)
            self._last_sent.pop(conversation_id, None)
            return was_typing
        self._last_seen[conversation_id] = now
        last = self._last_sent.get(conversation_id)
        if last is not None and now - last < COALESCE_SECONDS:
            return False
        self._last_sent[conversation_id] = now
        return True

    def expired(self) -> list[str]:
        """Conversations whose typing went stale: forget them; the caller sends `is_typing: false`."""
        now = self._clock()
        stale = [cid for cid, seen in self._last_seen.items() if now - seen >= EXPIRE_SECONDS]
        for conversation_id in stale:
            self._last_seen.pop(conversation_id, None)
            self._last_sent.pop(conversation_id, None)
        return stale

    def active(self) -> list[str]:
        return list(self._last_seen)
