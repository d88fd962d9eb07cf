"""A real SMTP server on loopback for tests (aiosmtpd): what reaches it is parsed as the recipient would."""

import asyncio
import email
import email.policy
import socket
import threading
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    """Keeps every accepted mail; `drop_next` makes the next N DATA commands end in a dropped connection (the
    server vanishes after the client sent the message, before it says whether it took it).

    `hold_at = n`: the n-th DATA (1-based) waits, with `holding` set, until `release` is set; a client gone by
    then (killed) has its mail discarded, as a server does that never got to say "250 accepted"."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Envelope] = []
        self.drop_next = 0
        self.dropped = 0
        self.hold_at = 0
        self.holding = threading.Event()
        self.release = threading.Event()
        self.discarded = 0
        self._data_seen = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session: Session, envelope: Envelope) -> str:
        self._data_seen += 1
        if self._data_seen == self.hold_at:
            self.holding.set()
            try:
                while not self.release.is_set():
                    await asyncio.sleep(0.05)
            except asyncio.CancelledError:  # aiosmtpd cancels the handler of a connection that was lost
                self.discarded += 1
                raise
            if server.transport is None or server.transport.is_closing():
                self.discarded += 1
                return "451 client gone"
        with self._lock:
            if self.drop_next:
                self.drop_next -= 1
                self.dropped += 1
                server.transport.close()
                return "421 closing"  # never reaches the client: the transport is gone
            self.envelopes.append(envelope)
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def wait(self, count: int, timeout: float = 20) -> list[EmailMessage]:
        """Block until `count` mails arrived (real workers send them), then return them all."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.messages)


def start_smtp(host: str = "127.0.0.1") -> tuple[Controller, SmtpSink]:
    sink = SmtpSink()
    controller = Controller(sink, hostname=host, port=free_port())
    controller.start()
    return controller, sink


def email_url_of(controller: Controller) -> str:
    return f"smtp://{controller.hostname}:{controller.port}"


def parts_of(message: EmailMessage) -> dict[str, str]:
    """The text bodies of a mail by content type: {"text/plain": ..., "text/html": ...}."""
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if part.get_content_maintype() == "text" and not part.get_filename()
    }


def attachments_of(message: EmailMessage) -> list[tuple[str, str, bytes]]:
    """(filename, content type with parameters, bytes) of each attachment."""
    return [
        (part.get_filename(), part.get("Content-Type"), part.get_payload(decode=True))
        for part in message.iter_attachments()
    ]
