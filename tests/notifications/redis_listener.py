"""A plain redis-py subscriber: what a web process in another server would receive from a publish."""

import json
import time

import redis
from django.conf import settings

from notifications import transport


class RedisListener:
    """Subscribes to real-time groups on the real Redis and decodes the envelopes that arrive."""

    def __init__(self):
        self.client = redis.Redis.from_url(settings.REDIS_URL)
        self.pubsub = self.client.pubsub()
        self.channels: dict[str, str] = {}

    def subscribe(self, *groups: str) -> None:
        for group in groups:
            name = transport.channel_name(group)
            self.channels[name] = group
            self.pubsub.subscribe(name)
            confirmation = self.pubsub.get_message(timeout=5)
            assert confirmation is not None and confirmation["type"] == "subscribe", confirmation

    def received(self, *, timeout: float = 0.5) -> list[tuple[str, dict]]:
        """Every (group, envelope) that arrives until `timeout` seconds pass without a new one."""
        messages = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self.pubsub.get_message(timeout=max(deadline - time.monotonic(), 0.01))
            if message is None or message["type"] != "message":
                continue
            group = self.channels[message["channel"].decode()]
            messages.append((group, json.loads(message["data"])))
            deadline = time.monotonic() + timeout
        return messages

    def close(self) -> None:
        self.pubsub.close()
        self.client.close()


def frame(envelope: dict) -> dict:
    """The WebSocket frame a socket would get, as the publisher serialized it."""
    assert set(envelope) == {"id", "t", "n", "f"}, envelope
    assert isinstance(envelope["f"], str)
    return json.loads(envelope["f"])
