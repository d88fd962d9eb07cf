"""ws/notifications/: one socket per browser tab carries everything for its user.

Order on connect (Zulip's register-then-fetch): authenticate, join the groups
(confirmed by Redis), then replay stored events after `last_event_id`, then
forward live ones, skipping ids already sent. Live events that arrive during
the replay wait in `_pending` and follow it.

The frame gate, authentication and send queue are the base class's (sockets/base.py); the frames of
other apps (chat's `message` and `typing`, resumes' `watch_resume`) arrive through sockets/frame_handlers.py.
"""

import json
import logging
from collections import deque
from collections.abc import Callable

import redis
from django.conf import settings

from core import metrics
from notifications import groups, presence, selectors, services
from notifications.frames import dumps, now_iso
from notifications.hub import get_hub
from notifications.sockets import auth, batching, frame_handlers
from notifications.sockets.base import SocketConsumer, background, db

logger = logging.getLogger(__name__)

_RECENT_IDS = 2048
# How long a reconnect waits for this process to pass the client's last id (another process was ahead).
_CATCH_UP_SECONDS = 1.0


class NotificationConsumer(SocketConsumer):
    # --- lifecycle -------------------------------------------------------------------
    async def connect(self):
        user = await self.authenticate()
        if user is None:
            return
        self.user, self.user_id = user, user.pk
        metrics.open_sockets.inc()
        self.open_gate(send_queue=settings.KAZI_WS_SEND_QUEUE)
        self._types: set[str] | None = None
        self._rooms: set[str] = set()
        self._state: dict[str, object] = {}
        self._recent: deque[int] = deque(maxlen=_RECENT_IDS)
        self._recent_set: set[int] = set()
        self._floor = 0
        self._replaying = True
        self._pending: list[dict] = []
        self.start_sender()
        self.hub = get_hub()
        self.socket_id = f"{self.hub.process_id}.{id(self):x}"
        await self.hub.register(self)
        await self.hub.join(groups.user_group(self.user_id), self)
        for audience in selectors.audiences_of(self.user):
            await self.hub.join(groups.role_group(audience), self)
        # Joined first: every event above the hub's cursor now reaches this socket live, in id order.
        bound = await self.hub.position()
        latest, muted = await _connect_state((self.user_id, bound)) or (0, [])
        self._muted = set(muted)
        await self.send_frame(
            {
                "type": "connection_established",
                "user_id": str(self.user_id),
                "user_type": self.user.user_type,
                "last_event_id": latest,
            }
        )
        params = auth.query_params(self.scope)
        last_event_id = _as_int(params.get("last_event_id"))
        types = params.get("notification_types")
        if types is not None:
            # The filter a reconnecting client had (comma separated; empty: nothing passes), before its replay.
            self._types = {kind for kind in types.split(",") if kind}
        if last_event_id is None:
            # A fresh client loads its state over REST after this; later replays start here.
            self._floor = bound
        await self._replay(last_event_id)
        await self._presence(opened=True)

    async def disconnect(self, code):
        if self.user is None:
            return
        metrics.open_sockets.dec()
        self._closing = True
        await self.hub.unregister(self)
        self.stop_sender()
        # The socket is gone: what remains to tell others runs on without holding up the
        # server's clean-up of this connection (a mass disconnect would queue behind Redis).
        background(self._after_close())

    async def _after_close(self) -> None:
        for hook in frame_handlers.close_hooks:
            try:
                await hook(self)
            except Exception:
                # One app's clean-up failing must not keep the others' or the presence update from running.
                logger.exception("close hook %r failed for user %s", hook, self.user_id)
        await self._presence(opened=False)

    async def _presence(self, *, opened: bool) -> None:
        try:
            if opened:
                await _socket_opened((self.user_id, self.socket_id))
                return
            await _socket_closed((self.user_id, self.socket_id))
        except (redis.RedisError, OSError):
            logger.warning("presence of user %s not updated: Redis unavailable", self.user_id)

    # --- what the frame handlers of other apps use (sockets/frame_handlers.py) ---------
    async def join(self, group: str) -> None:
        await self.hub.join(group, self)

    async def leave(self, group: str) -> None:
        await self.hub.leave(group, self)

    def push(self, frame: dict) -> None:
        """Queue a frame of no stored event (it has no id) behind the live frames already waiting for this socket."""
        frame.setdefault("timestamp", now_iso())
        self._enqueue({"id": None, "f": dumps(frame)})

    def state(self, key: str, factory: Callable[[], object] | None = None):
        """What an app keeps for this socket under `key`, made by `factory` on first use (None without one)."""
        value = self._state.get(key)
        if value is None and factory is not None:
            value = self._state[key] = factory()
        return value

    # --- live delivery ---------------------------------------------------------------
    def deliver(self, group: str, envelope: dict) -> None:
        """Called by the hub for every live message of this socket's groups."""
        if self._closing:
            return
        event_id = envelope["id"]
        if event_id is not None and (event_id <= self._floor or event_id in self._recent_set):
            return
        live_filter = frame_handlers.live_filters.get(envelope["t"])
        if live_filter is not None and not live_filter(self, envelope):
            return
        if envelope["t"] == "preferences_updated":
            self._muted = set(json.loads(envelope["f"]).get("muted_types", []))
        kinds = {envelope["t"], envelope.get("n") or envelope["t"]}
        if self._types is not None and not kinds & self._types:
            return
        if event_id is not None and kinds & self._muted:
            return
        if self._replaying:
            self._pending.append(envelope)
            return
        self._enqueue(envelope)

    def _enqueue(self, envelope: dict) -> None:
        event_id = envelope["id"]
        if event_id is not None:
            if event_id <= self._floor or event_id in self._recent_set:
                return
            self._remember(event_id)
        if self.queue_text(envelope["f"]):
            metrics.events_delivered.inc()

    def _remember(self, event_id: int) -> None:
        if len(self._recent) == self._recent.maxlen:
            self._recent_set.discard(self._recent[0])
        self._recent.append(event_id)
        self._recent_set.add(event_id)

    def transport_restored(self) -> None:
        """The hub reconnected to Redis. Nothing to do here: its sequencer reads from the store, in order, what
        this socket should have had meanwhile."""

    async def _replay(self, after_id: int | None) -> None:
        self._replaying = True
        try:
            if after_id is not None:
                await self._replay_stored(after_id)
        finally:
            pending, self._pending = self._pending, []
            self._replaying = False
            for envelope in pending:
                self._enqueue(envelope)

    async def _replay_stored(self, after_id: int) -> None:
        # Up to the hub's cursor, read after joining: the hub hands over everything above it, in order. A client
        # may have seen ids this process has not handed over yet (another process was a pass ahead): it waits
        # for them to pass here, so that they are neither sent twice nor after higher ones.
        bound = await self.hub.position()
        if after_id > bound:
            caught_up = await self.hub.position(at_least=after_id, wait=_CATCH_UP_SECONDS)
            # An id that never passes (from another database, say) hides nothing: new events still arrive.
            if caught_up >= after_id:
                bound = caught_up
        events = await _stored_events((self.user_id, after_id, bound))
        if not isinstance(events, list):  # ResyncRequired (or None: the user is gone)
            resync = events or selectors.ResyncRequired(0)
            self._floor = max(self._floor, bound)
            await self.send_frame({"type": "resync_required", "last_event_id": resync.latest_id})
            return
        await self._drain_queue()
        for event in events:
            if event.id in self._recent_set:
                continue
            self._remember(event.id)
            if self._types is None or event.kinds & self._types:
                await self.send(text_data=event.frame_text)
                metrics.events_replayed.inc()
        self._floor = max(self._floor, bound)

    async def _drain_queue(self) -> None:
        while not self._queue.empty():
            await self.send(text_data=self._queue.get_nowait())

    # --- inbound ---------------------------------------------------------------------
    def handler_for(self, kind: str):
        return self.handlers.get(kind) or frame_handlers.handlers.get(kind)

    async def _on_subscribe(self, message):
        types = _string_list(message.get("notification_types"))
        if types is None:
            await self.error("Missing field: notification_types (a list of strings)")
            return
        self._types = (self._types or set()) | set(types)
        await self.send_frame({"type": "subscribed", "notification_types": sorted(self._types)})

    async def _on_unsubscribe(self, message):
        types = _string_list(message.get("notification_types"))
        if types is None:
            await self.error("Missing field: notification_types (a list of strings)")
            return
        if self._types is None:
            self._types = set(selectors.KNOWN_TYPES)
        self._types -= set(types)
        await self.send_frame({"type": "subscribed", "notification_types": sorted(self._types)})

    async def _on_join_room(self, message):
        room = message.get("room")
        if not isinstance(room, str) or not room:
            await self.error("Missing field: room")
            return
        if room not in groups.ROOMS or not selectors.may_join_room(self.user, room):
            await self.error(f"You cannot join room '{room}'."[:200])
            return
        await self.join(groups.room_group(room))
        self._rooms.add(room)
        await self.send_frame({"type": "room_joined", "room": room})

    async def _on_leave_room(self, message):
        room = message.get("room")
        if not isinstance(room, str) or room not in self._rooms:
            await self.error("You are not in that room.")
            return
        await self.leave(groups.room_group(room))
        self._rooms.discard(room)
        await self.send_frame({"type": "room_left", "room": room})

    async def _on_ack(self, message):
        event_id = _as_int(message.get("id"))
        if event_id is None:
            await self.error("Missing field: id (an integer)")
            return
        await db(services.notifications_ack)(user=self.user, up_to_id=event_id)

    async def _on_resume(self, message):
        last_event_id = _as_int(message.get("last_event_id"))
        if last_event_id is None:
            await self.error("Missing field: last_event_id (an integer)")
            return
        await self._replay(last_event_id)

    handlers = {
        **SocketConsumer.handlers,
        "subscribe": _on_subscribe,
        "unsubscribe": _on_unsubscribe,
        "join_room": _on_join_room,
        "leave_room": _on_leave_room,
        "ack": _on_ack,
        "resume": _on_resume,
    }


async def _sockets_opened(sockets: list[tuple[int, str]]) -> dict:
    """Presence of the sockets that connected at once: one Redis round trip, one announcement for all who came
    online (in the background: the sockets need not wait for their partners to hear of them)."""
    online = await presence.sockets_opened(get_hub().redis, sockets)
    if online:
        background(_announce(sorted(online), online=True))
    return dict.fromkeys(sockets, True)


async def _sockets_closed(sockets: list[tuple[int, str]]) -> dict:
    offline, last_seen = await presence.sockets_closed(get_hub().redis, sockets)
    if offline:
        await _announce(sorted(offline), online=False, last_seen=last_seen)
    return dict.fromkeys(sockets, True)


async def _announce(user_ids: list[int], *, online: bool, last_seen: str | None = None) -> None:
    try:
        await db(services.presence_announce_many)(user_ids=user_ids, online=online, last_seen=last_seen)
    except (redis.RedisError, OSError):
        logger.warning("presence of %d users not announced: Redis unavailable", len(user_ids))


# What every connecting socket asks, asked once for all the sockets connecting at the same moment.
_connect_state = batching.batched(db(selectors.connect_states))
_socket_opened = batching.batched(_sockets_opened)
_socket_closed = batching.batched(_sockets_closed)
_stored_events = batching.batched(db(selectors.replay_many), max_batch=200)


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None


def _string_list(value) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return None
