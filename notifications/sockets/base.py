"""The base class of the socket consumers: accept then authenticate, the inbound frame gate, the send queue.

Inbound, every frame passes the same gate, in the order docs/websocket-protocol.md §4 lists: the rate
(KAZI_WS_MAX_FRAMES_PER_SECOND, one sliding window; twice over closes 4029), text only, the size
(KAZI_WS_MAX_FRAME_BYTES; the fourth oversized frame closes 1009), JSON, an object with a `type`, a
`type` the consumer handles. Each refusal answers an `error` and leaves the socket open unless it closes.

Outbound, live frames wait in a bounded queue that one task drains; a socket whose queue overflows is
closed (4008) rather than silently losing frames.
"""

import asyncio
import functools
import json
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from notifications.frames import dumps, now_iso
from notifications.sockets import auth
from notifications.sockets.close_codes import FLOODING, SLOW_CONSUMER, TOO_BIG
from notifications.sockets.frame_rate import FrameRate, Rate

logger = logging.getLogger(__name__)

# Off the single thread that Channels would otherwise run every call of the process on: a chat
# message costs milliseconds of database work, and sockets must not queue behind it. On threads of
# their own, as many as the process pools connections: the loop's default pool has min(32, cores + 4)
# (6 on two cores), and with fewer threads than connections, messages queue while connections idle.
_db_threads = ThreadPoolExecutor(max_workers=settings.KAZI_DB_POOL_SIZE or 6, thread_name_prefix="kazi-socket-db")
db = functools.partial(database_sync_to_async, thread_sensitive=False, executor=_db_threads)

# A frame handler: called with the consumer and the frame (a dict with a `type`).
Handler = Callable[[Any, dict], Awaitable[None]]

# Oversized frames tolerated on one socket; the next one closes it.
_OVERSIZED_ALLOWED = 3

_running: set[asyncio.Task] = set()


def background(coroutine: Coroutine) -> asyncio.Task:
    """Run `coroutine` on its own; the task is kept until it ends (the loop holds tasks only weakly)."""
    task = asyncio.ensure_future(coroutine)
    _running.add(task)
    task.add_done_callback(_running.discard)
    return task


class SocketConsumer(AsyncWebsocketConsumer):
    user = None  # set once the socket is in: until then inbound frames are ignored
    user_id = 0
    socket_id = ""
    _closing = False
    _protocol = None  # daphne's protocol object of this socket, once its sender runs (start_sender)

    async def dispatch(self, message):
        # Channels runs aclose_old_connections() (a thread hop) before every handler; these
        # handlers reach the database only through `db`.
        handler = getattr(self, message["type"].replace(".", "_"), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    # --- opening ---------------------------------------------------------------------
    async def authenticate(self):
        """Accept, then authenticate: the user, or None once the socket is closed with 4001, 4003 or 4004.

        Accepting first lets a browser read the close code: a refusal before accept reads as 1006."""
        await self.accept()
        outcome = await auth.authenticate(self.scope)
        if isinstance(outcome, int):
            await self.close(code=outcome)
            return None
        return outcome

    def open_gate(self, *, send_queue: int) -> None:
        """The per-socket state of the inbound gate and of the send queue (the sender starts apart)."""
        self._closing = False
        self._protocol = None
        self._rate = FrameRate(settings.KAZI_WS_MAX_FRAMES_PER_SECOND)
        self._strikes = 0
        self._queue: asyncio.Queue[str] = asyncio.Queue(maxsize=send_queue)
        self._sender: asyncio.Task | None = None

    # --- outbound --------------------------------------------------------------------
    async def send_frame(self, frame: dict) -> None:
        """Send at once, ahead of the queue."""
        frame.setdefault("timestamp", now_iso())
        await self.send(text_data=dumps(frame))

    async def error(self, text: str) -> None:
        await self.send_frame({"type": "error", "message": text})

    def start_sender(self) -> None:
        self._sender = asyncio.ensure_future(self._send_forever())
        protocol = self._server_protocol()
        # daphne's protocol of this socket: a live frame for a socket with nothing waiting is written to it at once.
        self._protocol = protocol if hasattr(protocol, "handle_reply") and hasattr(protocol, "STATE_OPEN") else None

    def stop_sender(self) -> None:
        if self._sender is not None:
            self._sender.cancel()

    async def _send_forever(self) -> None:
        send = self.base_send  # straight to the server: the frame text is already made
        while True:
            text = await self._queue.get()
            if self.unsent_bytes() > settings.KAZI_WS_SEND_BUFFER_BYTES:
                # The server writes whatever it is given into memory, however slowly the client reads:
                # past the limit, stop feeding it and close, so a reader that stalls costs a bounded amount.
                self._close_slow_consumer()
                return
            await send({"type": "websocket.send", "text": text})

    def _server_protocol(self):
        """daphne's protocol object of this socket (its `send` is partial(handle_reply, protocol)), or None
        under another server."""
        send = self.base_send
        # Through Channels' session middleware, which keeps the server's send as `real_send`.
        while hasattr(getattr(send, "__self__", None), "real_send"):
            send = send.__self__.real_send
        args = getattr(send, "args", ())
        return args[0] if args else None

    def unsent_bytes(self) -> int:
        """Bytes written for this socket that the client has not taken yet, still in the server's transport."""
        transport = getattr(self._protocol or self._server_protocol(), "transport", None)
        if transport is None:
            return 0
        buffered = getattr(transport, "dataBuffer", b"")
        return len(buffered) - getattr(transport, "offset", 0) + getattr(transport, "_tempDataLen", 0)

    def _close_slow_consumer(self) -> None:
        logger.info("closing slow consumer of user %s (%d bytes unsent)", self.user_id, self.unsent_bytes())
        protocol = self._server_protocol()
        if protocol is not None and hasattr(protocol, "closeHandshakeTimeout"):
            # The close frame waits behind the unsent bytes: give a client that reads again the time to reach
            # it (and read 4008) instead of autobahn's 1 s, after which the connection is dropped as is.
            protocol.closeHandshakeTimeout = settings.KAZI_WS_SLOW_CLOSE_SECONDS
        self.close_soon(SLOW_CONSUMER)

    def queue_text(self, text: str) -> bool:
        """Queue a frame's text behind the others; False when the queue is full and the socket closes."""
        if self._write_now(text):
            return True
        try:
            self._queue.put_nowait(text)
        except asyncio.QueueFull:
            # Dropping silently would lose frames; closing lets the client recover (replay, renegotiate).
            self._close_slow_consumer()
            return False
        return True

    def _write_now(self, text: str) -> bool:
        """Write at once when nothing waits before this frame and the client keeps up: a fan-out to thousands of
        local sockets then costs no task switch per socket (the queue is for sockets that fall behind)."""
        protocol = self._protocol
        if (
            protocol is None
            or not self._queue.empty()
            or protocol.state != protocol.STATE_OPEN
            or self.unsent_bytes() > settings.KAZI_WS_SEND_BUFFER_BYTES
        ):
            return False
        protocol.handle_reply({"type": "websocket.send", "text": text})
        return True

    def close_soon(self, code: int) -> None:
        """Close from code that cannot wait (the hub's delivery); nothing more is sent or handled meanwhile."""
        self._closing = True
        background(self.close(code=code))

    # --- inbound ---------------------------------------------------------------------
    async def receive(self, text_data=None, bytes_data=None):
        if self.user is None or self._closing:
            return
        message = await self._admit(text_data)
        if message is None:
            return
        kind = message["type"]
        handler = self.handler_for(kind) if isinstance(kind, str) else None
        if handler is None:
            await self.error(f"Unknown message type: {kind}"[:200])
            return
        await handler(self, message)

    def handler_for(self, kind: str) -> Handler | None:
        return self.handlers.get(kind)

    async def _admit(self, text_data: str | None) -> dict | None:
        """The frame as a JSON object with a `type`, or None once the client has been answered (or closed)."""
        if not await self._within_rate():
            return None
        if text_data is None:
            await self.error("Binary frames are not supported; send JSON text.")
            return None
        if len(text_data.encode()) > settings.KAZI_WS_MAX_FRAME_BYTES:
            self._strikes += 1
            if self._strikes > _OVERSIZED_ALLOWED:
                self._closing = True
                await self.close(code=TOO_BIG)
                return None
            await self.error(f"Frame too large: the limit is {settings.KAZI_WS_MAX_FRAME_BYTES} bytes.")
            return None
        try:
            message = json.loads(text_data)
        except ValueError:
            await self.error("Invalid JSON format")
            return None
        if not isinstance(message, dict):
            await self.error("A message must be a JSON object with a `type`.")
            return None
        if not message.get("type"):
            await self.error("Missing field: type")
            return None
        return message

    async def _within_rate(self) -> bool:
        rate = self._rate.check(time.monotonic())
        if rate is Rate.FLOOD:
            self._closing = True
            await self.close(code=FLOODING)
        elif rate is Rate.WARN:
            await self.error(f"Too many messages: at most {self._rate.limit} a second. Slow down.")
        return rate is Rate.OK

    async def _on_ping(self, message: dict) -> None:
        await self.send_frame({"type": "pong"})

    # The frames the consumer answers, by `type`: subclasses extend this table at the end of their body.
    handlers: dict[str, Handler] = {"ping": _on_ping}
