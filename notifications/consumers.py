"""ws/notifications/: one socket per browser tab carries everything for its user.

Order on connect (Zulip's register-then-fetch): authenticate, join the groups
(confirmed by Redis), then replay stored events after `last_event_id`, then
forward live ones, skipping ids already sent. Live events that arrive during
the replay wait in `_pending` and follow it.
"""

import asyncio
import functools
import json
import logging
import time
import uuid
from collections import deque

import redis
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from chat import selectors as chat_selectors
from chat import services as chat_services
from chat.typing_state import TypingState
from core import metrics
from notifications import groups, presence, selectors, services, socket_auth
from notifications.frame_rate import FrameRate, Rate
from notifications.frames import dumps, now_iso
from notifications.hub import get_hub
from resumes import selectors as resume_selectors

logger = logging.getLogger(__name__)

# Off the single thread that Channels would otherwise run every call of the process on:
# a chat message costs milliseconds of database work, and sockets must not queue behind it.
_db = functools.partial(database_sync_to_async, thread_sensitive=False)

SLOW_CONSUMER = 4008
FLOODING = 4029
TOO_BIG = 1009
_RECENT_IDS = 2048


class NotificationConsumer(AsyncWebsocketConsumer):
    user = None
    user_id = 0

    async def dispatch(self, message):
        # Channels runs aclose_old_connections() (a thread hop) before every handler;
        # these handlers reach the database only through database_sync_to_async.
        handler = getattr(self, message["type"].replace(".", "_"), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    # --- lifecycle -------------------------------------------------------------------
    async def connect(self):
        await self.accept()
        outcome = await socket_auth.authenticate(self.scope)
        if isinstance(outcome, int):
            await self.close(code=outcome)
            return
        self.user, self.user_id = outcome, outcome.pk
        metrics.open_sockets.inc()
        self._types: set[str] | None = None
        self._rooms: set[str] = set()
        self._watching: set[str] = set()
        self._resume_progress: dict[str, int] = {}
        self._recent: deque[int] = deque(maxlen=_RECENT_IDS)
        self._recent_set: set[int] = set()
        self._floor = 0
        self._replaying = True
        self._pending: list[dict] = []
        self._closing = False
        self._rate = FrameRate(settings.KAZI_WS_MAX_FRAMES_PER_SECOND)
        self._typing = TypingState(time.monotonic)
        self._typing_expiry: asyncio.Task | None = None
        self._strikes = 0
        self._queue: asyncio.Queue[str] = asyncio.Queue(maxsize=settings.KAZI_WS_SEND_QUEUE)
        self._sender = asyncio.ensure_future(self._send_forever())
        self.hub = get_hub()
        self.socket_id = f"{self.hub.process_id}.{id(self):x}"
        await self.hub.register(self)
        await self.hub.join(groups.user_group(self.user_id), self)
        for audience in selectors.audiences_of(self.user):
            await self.hub.join(groups.role_group(audience), self)
        latest, muted = await _db(self._initial_state)()
        self._muted = set(muted)
        await self._send_now(
            {
                "type": "connection_established",
                "user_id": str(self.user_id),
                "user_type": self.user.user_type,
                "last_event_id": latest,
            }
        )
        last_event_id = _as_int(socket_auth.query_params(self.scope).get("last_event_id"))
        self._latest_at_connect = latest
        if last_event_id is None:
            # A fresh client loads its state over REST after this; later replays start here.
            self._floor = latest
        await self._replay(last_event_id)
        await self._presence(opened=True)

    def _initial_state(self):
        return selectors.latest_event_id(self.user), selectors.muted_types_of(self.user)

    async def disconnect(self, code):
        if self.user is None:
            return
        metrics.open_sockets.dec()
        self._closing = True
        await self.hub.unregister(self)
        if self._sender is not None:
            self._sender.cancel()
        if self._typing_expiry is not None:
            self._typing_expiry.cancel()
        # The socket is gone: what remains to tell others runs on without holding up the
        # server's clean-up of this connection (a mass disconnect would queue behind Redis).
        _background(self._after_close())

    async def _after_close(self) -> None:
        for conversation_id in self._typing.active():
            await self._publish_typing(conversation_id, False)
        await self._presence(opened=False)

    async def _presence(self, *, opened: bool) -> None:
        try:
            if opened:
                changed = await presence.socket_opened(self.hub.redis, self.user_id, self.socket_id)
                last_seen = None
            else:
                last_seen = await presence.socket_closed(self.hub.redis, self.user_id, self.socket_id)
                changed = last_seen is not None
            if changed:
                await _db(services.presence_announce)(user_id=self.user_id, online=opened, last_seen=last_seen)
        except (redis.RedisError, OSError):
            logger.warning("presence of user %s not updated: Redis unavailable", self.user_id)

    # --- outbound --------------------------------------------------------------------
    async def _send_now(self, frame: dict) -> None:
        frame.setdefault("timestamp", now_iso())
        await self.send(text_data=dumps(frame))

    async def _send_forever(self) -> None:
        send = self.base_send  # straight to the server: the frame text is already made
        while True:
            frame = await self._queue.get()
            await send({"type": "websocket.send", "text": frame})

    def deliver(self, group: str, envelope: dict) -> None:
        """Called by the hub for every live message of this socket's groups."""
        if self._closing:
            return
        event_id = envelope["id"]
        if event_id is not None and (event_id <= self._floor or event_id in self._recent_set):
            return
        if envelope["t"] == "resume_progress" and not self._progress_is_new(json.loads(envelope["f"])):
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

    def _progress_is_new(self, frame: dict) -> bool:
        """Whether a resume_progress frame moves this socket's view of the resume forward (or keeps it)."""
        resume_id, progress = frame["resume_id"], frame["data"]["progress"]
        if progress < self._resume_progress.get(resume_id, -1):
            return False
        self._resume_progress[resume_id] = progress
        return True

    def _enqueue(self, envelope: dict) -> None:
        event_id = envelope["id"]
        if event_id is not None:
            if event_id <= self._floor or event_id in self._recent_set:
                return
            self._remember(event_id)
        try:
            self._queue.put_nowait(envelope["f"])
            metrics.events_delivered.inc()
        except asyncio.QueueFull:
            # Dropping silently would lose events; closing lets the client replay from its last id.
            self._closing = True
            logger.info("closing slow consumer of user %s", self.user_id)
            asyncio.ensure_future(self.close(code=SLOW_CONSUMER))

    def _remember(self, event_id: int) -> None:
        if len(self._recent) == self._recent.maxlen:
            self._recent_set.discard(self._recent[0])
        self._recent.append(event_id)
        self._recent_set.add(event_id)

    def transport_restored(self) -> None:
        """The hub reconnected to Redis: whatever was published meanwhile is only in the store."""
        if not self._closing:
            # From now until the replay has run, live events wait behind it: ids stay in order.
            self._replaying = True
            asyncio.ensure_future(self._replay(self._last_sent_id()))

    def _last_sent_id(self) -> int:
        return max(self._recent, default=self._floor)

    async def _replay(self, after_id: int | None) -> None:
        self._replaying = True
        try:
            if after_id is not None:
                try:
                    events = await _db(selectors.replay_after)(self.user, after_id)
                except selectors.ResyncRequired as resync:
                    self._floor = max(self._floor, resync.latest_id)
                    await self._send_now({"type": "resync_required", "last_event_id": resync.latest_id})
                else:
                    await self._drain_queue()
                    for event in events:
                        if event.id in self._recent_set:
                            continue
                        self._remember(event.id)
                        if self._types is None or event.kinds & self._types:
                            await self.send(text_data=event.frame_text)
                            metrics.events_replayed.inc()
                    # An id from the future must not hide live events below it.
                    known = events[-1].id if events else min(after_id, self._latest_at_connect)
                    self._floor = max(self._floor, known)
        finally:
            pending, self._pending = self._pending, []
            self._replaying = False
            for envelope in pending:
                self._enqueue(envelope)

    async def _drain_queue(self) -> None:
        while not self._queue.empty():
            await self.send(text_data=self._queue.get_nowait())

    # --- inbound ---------------------------------------------------------------------
    async def receive(self, text_data=None, bytes_data=None):
        if self.user is None or self._closing:
            return
        if not self._within_rate():
            return
        if bytes_data is not None and text_data is None:
            await self._error("Binary frames are not supported; send JSON text.")
            return
        if len(text_data.encode()) > settings.KAZI_WS_MAX_FRAME_BYTES:
            self._strikes += 1
            if self._strikes > 3:
                await self.close(code=TOO_BIG)
                return
            await self._error(f"Frame too large: the limit is {settings.KAZI_WS_MAX_FRAME_BYTES} bytes.")
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            await self._error("Invalid JSON format")
            return
        if not isinstance(message, dict):
            await self._error("A message must be a JSON object with a `type`.")
            return
        kind = message.get("type")
        if not kind:
            await self._error("Missing field: type")
            return
        handler = self._handlers.get(kind) if isinstance(kind, str) else None
        if handler is None:
            await self._error(f"Unknown message type: {kind}")
            return
        await handler(self, message)

    def _within_rate(self) -> bool:
        rate = self._rate.check(time.monotonic())
        if rate is Rate.FLOOD:
            self._closing = True
            asyncio.ensure_future(self.close(code=FLOODING))
        elif rate is Rate.WARN:
            limit = self._rate.limit
            asyncio.ensure_future(self._error(f"Too many messages: at most {limit} a second. Slow down."))
        return rate is Rate.OK

    async def _error(self, text: str) -> None:
        await self._send_now({"type": "error", "message": text})

    async def _on_ping(self, message):
        await self._send_now({"type": "pong"})

    async def _on_subscribe(self, message):
        types = _string_list(message.get("notification_types"))
        if types is None:
            await self._error("Missing field: notification_types (a list of strings)")
            return
        self._types = (self._types or set()) | set(types)
        await self._send_now({"type": "subscribed", "notification_types": sorted(self._types)})

    async def _on_unsubscribe(self, message):
        types = _string_list(message.get("notification_types"))
        if types is None:
            await self._error("Missing field: notification_types (a list of strings)")
            return
        if self._types is None:
            self._types = set(selectors.KNOWN_TYPES)
        self._types -= set(types)
        await self._send_now({"type": "subscribed", "notification_types": sorted(self._types)})

    async def _on_join_room(self, message):
        room = message.get("room")
        if not isinstance(room, str) or not room:
            await self._error("Missing field: room")
            return
        if room not in groups.ROOMS or not selectors.may_join_room(self.user, room):
            await self._error(f"You cannot join room '{room}'."[:200])
            return
        await self.hub.join(groups.room_group(room), self)
        self._rooms.add(room)
        await self._send_now({"type": "room_joined", "room": room})

    async def _on_leave_room(self, message):
        room = message.get("room")
        if not isinstance(room, str) or room not in self._rooms:
            await self._error("You are not in that room.")
            return
        await self.hub.leave(groups.room_group(room), self)
        self._rooms.discard(room)
        await self._send_now({"type": "room_left", "room": room})

    async def _on_watch_resume(self, message):
        resume_id = message.get("resume_id")
        if not isinstance(resume_id, str) or not resume_id:
            await self._error("Missing field: resume_id")
            return
        progress = await _db(resume_selectors.resume_progress_for)(self.user, resume_id)
        if progress is None:
            await self._error("No such resume.")
            return
        await self.hub.join(groups.resume_group(resume_id), self)
        self._watching.add(resume_id)
        # Read again now that live frames flow: nothing between the two reads is missed. The answer
        # goes through the send queue behind the live frames already there, and the progress filter
        # drops whichever of them is older, so a watcher never sees the bar go back.
        progress = await _db(resume_selectors.resume_progress_for)(self.user, resume_id) or progress
        if progress["data"]["status"] != "uploaded" and self._progress_is_new(progress):
            progress["timestamp"] = now_iso()
            self._enqueue({"id": None, "f": dumps(progress)})

    async def _on_unwatch_resume(self, message):
        resume_id = message.get("resume_id")
        if not isinstance(resume_id, str) or resume_id not in self._watching:
            await self._error("You are not watching that resume.")
            return
        await self.hub.leave(groups.resume_group(resume_id), self)
        self._watching.discard(resume_id)

    async def _on_ack(self, message):
        event_id = _as_int(message.get("id"))
        if event_id is None:
            await self._error("Missing field: id (an integer)")
            return
        await _db(services.notifications_ack)(user=self.user, up_to_id=event_id)

    async def _on_resume(self, message):
        last_event_id = _as_int(message.get("last_event_id"))
        if last_event_id is None:
            await self._error("Missing field: last_event_id (an integer)")
            return
        await self._replay(last_event_id)

    # --- chat ------------------------------------------------------------------------
    async def _on_typing(self, message):
        conversation_id = _uuid_text(message.get("conversation_id"))
        if conversation_id is None or not isinstance(message.get("is_typing", True), bool):
            await self._error("Missing field: conversation_id (and is_typing, true or false)")
            return
        is_typing = message.get("is_typing", True)
        publish = self._typing.signal(conversation_id, is_typing)
        if publish and not await self._publish_typing(conversation_id, is_typing):
            self._typing.signal(conversation_id, False)
            await self._error("No such conversation.")
            return
        if self._typing.active() and (self._typing_expiry is None or self._typing_expiry.done()):
            self._typing_expiry = asyncio.ensure_future(self._expire_typing())

    async def _publish_typing(self, conversation_id: str, is_typing: bool) -> bool:
        try:
            await _db(chat_services.typing_publish)(
                conversation_id=conversation_id, user=self.user, is_typing=is_typing
            )
        except PermissionDenied:
            return False
        return True

    async def _expire_typing(self) -> None:
        # Typing stops by itself when the client stops refreshing it.
        while self._typing.active():
            await asyncio.sleep(1)
            for conversation_id in self._typing.expired():
                await self._publish_typing(conversation_id, False)

    async def _on_message(self, message):
        conversation_id = _uuid_text(message.get("conversation_id"))
        content = message.get("content")
        if conversation_id is None or not isinstance(content, str):
            await self._error("Missing field: conversation_id and content (text)")
            return
        error = await _db(self._send_chat_message)(conversation_id, content)
        if error:
            await self._error(error)

    def _send_chat_message(self, conversation_id: str, content: str) -> str | None:
        """The same service as the REST POST; the sender's sockets get the message as `new_message`."""
        conversation = chat_selectors.conversation_for(self.user, conversation_id)
        if conversation is None:
            return "No such conversation."
        try:
            chat_services.message_send(conversation=conversation, sender=self.user, content=content)
        except chat_services.SendRateExceeded as exc:
            return str(exc)
        except ValidationError as exc:
            return "; ".join(exc.messages)
        except PermissionDenied as exc:
            return str(exc)
        return None

    _handlers = {
        "ping": _on_ping,
        "subscribe": _on_subscribe,
        "unsubscribe": _on_unsubscribe,
        "join_room": _on_join_room,
        "leave_room": _on_leave_room,
        "watch_resume": _on_watch_resume,
        "unwatch_resume": _on_unwatch_resume,
        "ack": _on_ack,
        "resume": _on_resume,
        "typing": _on_typing,
        "message": _on_message,
    }


_running: set[asyncio.Task] = set()


def _background(coroutine) -> None:
    task = asyncio.ensure_future(coroutine)
    _running.add(task)  # the loop keeps only a weak reference to tasks
    task.add_done_callback(_running.discard)


def _as_int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None


def _uuid_text(value) -> str | None:
    try:
        return str(uuid.UUID(value)) if isinstance(value, str) else None
    except ValueError:
        return None


def _string_list(value) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return None
