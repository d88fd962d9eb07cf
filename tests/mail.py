"""A real SMTP server on loopback for tests (aiosmtpd): what reaches it is parsed as the recipient would."""

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
    server vanishes after the client sent the message, before it says whether it took it)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Envelope] = []
        self.drop_next = 0
        self.dropped = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session: Session, envelope: Envelope) -> str:
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
