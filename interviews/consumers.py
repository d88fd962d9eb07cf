"""ws/interviews/{id}/: the WebRTC signaling socket of an interview room.

Order on connect: authenticate (as ws/notifications/), check the participant and the joining
window, join the interview's group (confirmed by Redis), enter the room's presence set, tell the
others (`participant_joined`), and only then send `peers`: a client that offers as soon as it has
`peers` reaches peers that are already listening, whichever process they are on.

Messages between processes go through the project's real-time hub (notifications/hub.py), not
Channels' layer: a process holds one Redis subscription per interview with local sockets, the hub
already re-subscribes after a Redis outage, and the notification socket of the same page uses it,
so a web process keeps a single real-time transport.

Closing the socket is not leaving the interview: attendance changes only through REST join/ and
leave/, so a dropped connection (a train tunnel, a reload) never completes an interview.
"""

import asyncio
import functools
import itertools
import json
import logging
import time
from dataclasses import dataclass

import redis
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils import timezone

from interviews import selectors, services
from interviews import signaling_presence as presence
from interviews.models import Interview, Participant
from interviews.signaling import (
    FLOODING,
    NOT_A_PARTICIPANT,
    RELAYED,
    ROOM_NOT_OPEN,
    SLOW_CONSUMER,
    TOO_BIG,
    BadMessage,
    quality_stats,
    relay_frame,
)
from interviews.windows import join_error
from notifications import groups, socket_auth, transport
from notifications.frame_rate import FrameRate, Rate
from notifications.frames import dumps, now_iso
from notifications.hub import get_hub

logger = logging.getLogger(__name__)

_db = functools.partial(database_sync_to_async, thread_sensitive=False)

# One stored quality report per socket per this many seconds: a browser reports every few seconds.
QUALITY_MIN_INTERVAL = 2.0
_SEND_QUEUE = 256
_socket_numbers = itertools.count(1)


@dataclass(frozen=True)
class Room:
    interview_id: int
    participants: dict[int, dict]  # user id -> {"user_id", "role", "name"}
    closed_because: str | None


def _room_for(user, interview_id: int) -> Room | None:
    """The room if `user` takes part in the interview, else None (a missing interview looks the same)."""
    rows = Participant.objects.select_related("user").order_by("role", "user_id")
    interviews = Interview.objects.prefetch_related(Prefetch("participant_rows", queryset=rows))
    interview = interviews.filter(pk=interview_id).first()
    if interview is None or selectors.role_of(user, interview) is None:
        return None
    participants = {
        row.user_id: {"user_id": str(row.user_id), "role": row.role, "name": row.user.full_name}
        for row in interview.participant_rows.all()
    }
    error = join_error(
        status=interview.status, scheduled_at=interview.scheduled_at, ends_at=interview.ends_at, now=timezone.now()
    )
    return Room(interview_id=interview.pk, participants=participants, closed_because=error)


def _record_quality(interview_id: int, user, stats: dict) -> str:
    interview = Interview.objects.get(pk=interview_id)
    return services.connection_quality_record(interview=interview, user=user, stats=stats).quality


class InterviewSignalingConsumer(AsyncWebsocketConsumer):
    user = None
    user_id = 0
    socket_id = ""

    async def dispatch(self, message):
        # As in NotificationConsumer: skip Channels' per-message thread hop; the database is
        # reached only through database_sync_to_async.
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
        interview_id = int(self.scope["url_route"]["kwargs"]["interview_id"])
        room = await _db(_room_for)(outcome, interview_id)
        if room is None:
            await self._send_now({"type": "error", "message": "You are not a participant of this interview."})
            await self.close(code=NOT_A_PARTICIPANT)
            return
        if room.closed_because:
            await self._send_now({"type": "error", "message": room.closed_because})
            await self.close(code=ROOM_NOT_OPEN)
            return
        self.room = room
        self.group = groups.interview_group(room.interview_id)
        self._closing = False
        self._rate = FrameRate(settings.KAZI_WS_MAX_FRAMES_PER_SECOND)
        self._strikes = 0
        self._last_quality = 0.0
        # Relayed messages wait here until `peers` has gone out (the sender starts after it).
        self._queue: asyncio.Queue[str] = asyncio.Queue(maxsize=_SEND_QUEUE)
        self._sender: asyncio.Task | None = None
        self._heartbeat: asyncio.Task | None = None
        self.hub = get_hub()
        # Never reused within a process (unlike id()): peers tell a new socket by it.
        self.socket_id = f"{self.hub.process_id}.{next(_socket_numbers)}"
        # Set last: from here on disconnect() has something to undo.
        self.user, self.user_id = outcome, outcome.pk
        try:
            await self.hub.join(self.group, self)
            present = await presence.enter(self.hub.redis, room.interview_id, self.user_id, self.socket_id)
            await self._publish({"type": "participant_joined", **self._me(), "connection_id": self.socket_id})
        except (redis.RedisError, OSError, TimeoutError):
            logger.warning("interview %s: signaling unavailable, Redis unreachable", room.interview_id)
            await self._send_now({"type": "error", "message": "The interview room is unavailable; try again shortly."})
            await self.close(code=1011)
            return
        self._heartbeat = asyncio.ensure_future(self._refresh_presence())
        peers = [
            {**room.participants[uid], "connection_ids": connections}
            for uid, connections in sorted(present.items())
            if uid != self.user_id and uid in room.participants
        ]
        await self._send_now(
            {
                "type": "peers",
                "interview_id": str(room.interview_id),
                "you": self._me(),
                "connection_id": self.socket_id,
                "peers": peers,
            }
        )
        self._sender = asyncio.ensure_future(self._send_forever())

    def _me(self) -> dict:
        return self.room.participants[self.user_id]

    async def disconnect(self, code):
        if self.user is None:
            return
        self._closing = True
        for task in (self._sender, self._heartbeat):
            if task is not None:
                task.cancel()
        await self.hub.leave(self.group, self)
        _background(self._after_close())

    async def _after_close(self) -> None:
        try:
            gone = await presence.leave(self.hub.redis, self.room.interview_id, self.user_id, self.socket_id)
            if gone:
                await self._publish({"type": "participant_left", **self._me()})
        except (redis.RedisError, OSError):
            logger.warning("interview %s: departure of user %s not announced", self.room.interview_id, self.user_id)

    async def _refresh_presence(self) -> None:
        while not self._closing:
            await asyncio.sleep(presence.HEARTBEAT_SECONDS)
            try:
                await presence.refresh(self.hub.redis, self.room.interview_id, self.user_id, self.socket_id)
            except (redis.RedisError, OSError):
                logger.warning("interview %s: presence not refreshed", self.room.interview_id)

    # --- between processes -----------------------------------------------------------
    async def _publish(self, frame: dict, to: int | None = None) -> None:
        frame.setdefault("timestamp", now_iso())
        envelope = transport.envelope(frame_text=dumps(frame), event_type=frame["type"])
        envelope.update(u=self.user_id, to=to)
        await self.hub.redis.publish(transport.channel_name(self.group), json.dumps(envelope, separators=(",", ":")))

    def deliver(self, group: str, envelope: dict) -> None:
        """Called by the hub for every message of this interview's group, from any process."""
        if self._closing or envelope.get("u") == self.user_id:
            return
        to = envelope.get("to")
        if to is not None and to != self.user_id:
            return
        try:
            self._queue.put_nowait(envelope["f"])
        except asyncio.QueueFull:
            self._closing = True
            asyncio.ensure_future(self.close(code=SLOW_CONSUMER))

    def transport_restored(self) -> None:
        """Part of the hub's member protocol; signaling keeps no history to replay (peers renegotiate)."""

    # --- outbound --------------------------------------------------------------------
    async def _send_now(self, frame: dict) -> None:
        frame.setdefault("timestamp", now_iso())
        await self.send(text_data=dumps(frame))

    async def _send_forever(self) -> None:
        while True:
            text = await self._queue.get()
            await self.base_send({"type": "websocket.send", "text": text})

    async def _error(self, text: str) -> None:
        await self._send_now({"type": "error", "message": text})

    # --- inbound ---------------------------------------------------------------------
    async def receive(self, text_data=None, bytes_data=None):
        if self.user is None or self._closing:
            return
        rate = self._rate.check(time.monotonic())
        if rate is Rate.FLOOD:
            self._closing = True
            await self.close(code=FLOODING)
            return
        if rate is Rate.WARN:
            await self._error(f"Too many messages: at most {self._rate.limit} a second. Slow down.")
        if rate is not Rate.OK:
            return
        if text_data is None:
            await self._error("Binary frames are not supported; send JSON text.")
            return
        if len(text_data.encode()) > settings.KAZI_WS_MAX_FRAME_BYTES:
            self._strikes += 1
            if self._strikes > 3:
                self._closing = True
                await self.close(code=TOO_BIG)
                return
            await self._error(f"Frame too large: the limit is {settings.KAZI_WS_MAX_FRAME_BYTES} bytes.")
            return
        try:
            message = json.loads(text_data)
        except ValueError:
            await self._error("Invalid JSON format")
            return
        if not isinstance(message, dict) or not isinstance(message.get("type"), str) or not message["type"]:
            await self._error("A message must be a JSON object with a `type`.")
            return
        kind = message["type"]
        if kind in RELAYED:
            await self._relay(message)
        elif kind == "connection_quality":
            await self._quality(message)
        elif kind == "ping":
            await self._send_now({"type": "pong"})
        else:
            await self._error(f"Unknown message type: {kind}"[:200])

    async def _relay(self, message: dict) -> None:
        try:
            to, frame = relay_frame(
                message,
                sender_id=self.user_id,
                connection_id=self.socket_id,
                participant_ids=set(self.room.participants),
            )
        except BadMessage as exc:
            await self._error(str(exc))
            return
        try:
            await self._publish(frame, to)
        except (redis.RedisError, OSError):
            await self._error(f"Your {frame['type']} could not be relayed; send it again.")

    async def _quality(self, message: dict) -> None:
        now = time.monotonic()
        if now - self._last_quality < QUALITY_MIN_INTERVAL:
            await self._error(f"Connection reports are kept at most every {QUALITY_MIN_INTERVAL:g} seconds.")
            return
        try:
            stats = quality_stats(message)
            quality = await _db(_record_quality)(self.room.interview_id, self.user, stats)
        except BadMessage as exc:
            await self._error(str(exc))
            return
        except ValidationError as exc:
            await self._error(" ".join(exc.messages))
            return
        except PermissionDenied as exc:
            await self._error(str(exc))
            return
        self._last_quality = now
        await self._send_now({"type": "connection_quality_recorded", "quality": quality})


_running: set[asyncio.Task] = set()


def _background(coroutine) -> None:
    task = asyncio.ensure_future(coroutine)
    _running.add(task)  # the loop keeps only a weak reference to tasks
    task.add_done_callback(_running.discard)
