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
import itertools
import json
import logging
import time
from dataclasses import dataclass

import redis
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils import timezone

from interviews import selectors, services
from interviews import signaling_presence as presence
from interviews.choices import InterviewStatus
from interviews.models import Interview, Participant
from interviews.signaling import RELAYED, BadMessage, quality_stats, relay_frame
from interviews.windows import join_error
from notifications import groups, transport
from notifications.frames import dumps, now_iso
from notifications.hub import get_hub
from notifications.sockets.base import SocketConsumer, background, db
from notifications.sockets.close_codes import NOT_A_PARTICIPANT, ROOM_CLOSED, ROOM_NOT_OPEN, SERVER_ERROR

logger = logging.getLogger(__name__)

# One stored quality report per socket per this many seconds: a browser reports every few seconds.
QUALITY_MIN_INTERVAL = 2.0
_SEND_QUEUE = 256
_socket_numbers = itertools.count(1)
OVER = frozenset({InterviewStatus.COMPLETED, InterviewStatus.CANCELLED, InterviewStatus.NO_SHOW})


@dataclass(frozen=True)
class Room:
    interview_id: int
    participants: dict[int, dict]  # user id -> {"user_id", "role", "name"}
    closed_because: str | None
    status: str


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
    return Room(interview_id=interview.pk, participants=participants, closed_because=error, status=interview.status)


def _record_quality(interview_id: int, user, stats: dict) -> str:
    interview = Interview.objects.get(pk=interview_id)
    return services.connection_quality_record(interview=interview, user=user, stats=stats).quality


class InterviewSignalingConsumer(SocketConsumer):
    # --- lifecycle -------------------------------------------------------------------
    async def connect(self):
        user = await self.authenticate()
        if user is None:
            return
        interview_id = int(self.scope["url_route"]["kwargs"]["interview_id"])
        room = await db(_room_for)(user, interview_id)
        if room is None:
            await self._refuse("You are not a participant of this interview.", NOT_A_PARTICIPANT)
            return
        if room.closed_because:
            await self._refuse_closed(room)
            return
        self.room = room
        self.group = groups.interview_group(room.interview_id)
        self._last_quality = 0.0
        # Relayed messages wait in the queue until `peers` has gone out (the sender starts after it).
        self.open_gate(send_queue=_SEND_QUEUE)
        self._heartbeat: asyncio.Task | None = None
        self.hub = get_hub()
        # Never reused within a process (unlike id()): peers tell a new socket by it.
        self.socket_id = f"{self.hub.process_id}.{next(_socket_numbers)}"
        # Set last: from here on disconnect() has something to undo.
        self.user, self.user_id = user, user.pk
        present = await self._enter()
        if present is None:
            return
        self._heartbeat = asyncio.ensure_future(self._refresh_presence())
        await self.send_frame(
            {
                "type": "peers",
                "interview_id": str(room.interview_id),
                "you": self._me(),
                "connection_id": self.socket_id,
                "peers": self._peers(present),
            }
        )
        self.start_sender()

    async def _refuse(self, reason: str, code: int) -> None:
        await self.error(reason)
        await self.close(code=code)

    async def _refuse_closed(self, room: Room) -> None:
        """4409 after the reason; a room that is over also says how it ended (`room_closed`), as its open
        sockets heard: a page whose socket opened a moment after the decline or the end shows the same."""
        await self.error(room.closed_because)
        if room.status in OVER:
            frame = {"type": "room_closed", "interview_id": str(room.interview_id), "status": room.status}
            await self.send_frame(frame)
        await self.close(code=ROOM_NOT_OPEN)

    async def _enter(self) -> dict[int, list[str]] | None:
        """Join the group, enter presence and tell the others: who is present, or None once closed (1011)."""
        try:
            await self.hub.join(self.group, self)
            present = await presence.enter(self.hub.redis, self.room.interview_id, self.user_id, self.socket_id)
            await self._publish({"type": "participant_joined", **self._me(), "connection_id": self.socket_id})
        except (redis.RedisError, OSError, TimeoutError):
            logger.warning("interview %s: signaling unavailable, Redis unreachable", self.room.interview_id)
            await self._refuse("The interview room is unavailable; try again shortly.", SERVER_ERROR)
            return None
        return present

    def _peers(self, present: dict[int, list[str]]) -> list[dict]:
        participants = self.room.participants
        return [
            {**participants[uid], "connection_ids": connections}
            for uid, connections in sorted(present.items())
            if uid != self.user_id and uid in participants
        ]

    def _me(self) -> dict:
        return self.room.participants[self.user_id]

    async def disconnect(self, code):
        if self.user is None:
            return
        self._closing = True
        self.stop_sender()
        if self._heartbeat is not None:
            self._heartbeat.cancel()
        await self.hub.leave(self.group, self)
        background(self._after_close())

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
        if envelope.get("t") == "room_closed":
            self._closing = True  # nothing more is relayed to or from a room that is over
            background(self._close_room(envelope["f"]))
            return
        self.queue_text(envelope["f"])

    async def _close_room(self, frame_text: str) -> None:
        await self.send(text_data=frame_text)
        await self.close(code=ROOM_CLOSED)

    def transport_restored(self) -> None:
        """Part of the hub's member protocol; signaling keeps no history to replay (peers renegotiate)."""

    # --- inbound ---------------------------------------------------------------------
    async def _on_relay(self, message: dict) -> None:
        try:
            to, frame = relay_frame(
                message,
                sender_id=self.user_id,
                connection_id=self.socket_id,
                participant_ids=set(self.room.participants),
            )
        except BadMessage as exc:
            await self.error(str(exc))
            return
        try:
            await self._publish(frame, to)
        except (redis.RedisError, OSError):
            await self.error(f"Your {frame['type']} could not be relayed; send it again.")

    async def _on_connection_quality(self, message: dict) -> None:
        now = time.monotonic()
        if now - self._last_quality < QUALITY_MIN_INTERVAL:
            await self.error(f"Connection reports are kept at most every {QUALITY_MIN_INTERVAL:g} seconds.")
            return
        try:
            stats = quality_stats(message)
            quality = await db(_record_quality)(self.room.interview_id, self.user, stats)
        except BadMessage as exc:
            await self.error(str(exc))
            return
        except ValidationError as exc:
            await self.error(" ".join(exc.messages))
            return
        except PermissionDenied as exc:
            await self.error(str(exc))
            return
        self._last_quality = now
        await self.send_frame({"type": "connection_quality_recorded", "quality": quality})

    handlers = {
        **SocketConsumer.handlers,
        **dict.fromkeys(RELAYED, _on_relay),
        "connection_quality": _on_connection_quality,
    }
