"""How many frames a socket sent in the last second, against the configured limit (every socket consumer)."""

from collections import deque
from enum import Enum


class Rate(Enum):
    OK = "ok"
    WARN = "warn"  # the first frame over the limit: dropped, and the client is told once
    DROP = "drop"
    FLOOD = "flood"  # twice the limit: the socket is closed


class FrameRate:
    def __init__(self, limit: int):
        self.limit = limit
        self._times: deque[float] = deque()

    def check(self, now: float) -> Rate:
        window = self._times
        window.append(now)
        while window and now - window[0] > 1.0:
            window.popleft()
        count = len(window)
        if count <= self.limit:
            return Rate.OK
        if count > 2 * self.limit:
            return Rate.FLOOD
        return Rate.WARN if count == self.limit + 1 else Rate.DROP
