"""Frames of ws/notifications/ that other apps handle: chat's `message` and `typing`, resumes' `watch_resume`.

Each app registers its part from its AppConfig.ready(), so notifications imports none of them. What a
handler may use of the socket (NotificationConsumer): `user`, `user_id`, `error(text)`, `join(group)`,
`leave(group)`, `push(frame)`, and `state(key, factory)` for what it keeps per socket.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from notifications.sockets.base import Handler

# Whether the socket takes a live frame of one event type (the socket, the hub's envelope); runs on the
# event loop for every such frame, so it must not block.
LiveFilter = Callable[[Any, dict], bool]
# Runs once the socket has closed, before its user's presence is announced.
CloseHook = Callable[[Any], Awaitable[None]]

handlers: dict[str, Handler] = {}
live_filters: dict[str, LiveFilter] = {}
close_hooks: list[CloseHook] = []


def register(kind: str, handler: Handler) -> None:
    """Let `handler(socket, frame)` answer client frames of type `kind`."""
    _add(handlers, kind, handler)


def register_live_filter(event_type: str, live_filter: LiveFilter) -> None:
    _add(live_filters, event_type, live_filter)


def register_close_hook(hook: CloseHook) -> None:
    if hook not in close_hooks:
        close_hooks.append(hook)


def _add(table: dict, key: str, value) -> None:
    # Registering the same function again (ready() run twice) is harmless; two apps claiming one key is a bug.
    if table.setdefault(key, value) is not value:
        raise ValueError(f"{key!r} is already handled by {table[key]!r}")
