"""The development mail catcher: an SMTP server on loopback that keeps every mail it receives as a CaughtMail
row, listed and shown (links clickable) in the admin. `make run` starts it when EMAIL_URL is unset, so a newcomer
sees the mail the demo sends without configuring anything. It delivers nothing anywhere."""

import email
import email.policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope
from asgiref.sync import sync_to_async

from core.models import CaughtMail


def caught_mail_store(*, mail_from: str, recipients: list[str], raw: bytes) -> CaughtMail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    bodies = {}
    for part in message.walk():
        if part.get_content_maintype() == "text" and not part.get_filename():
            bodies.setdefault(part.get_content_type(), part.get_content())
    return CaughtMail.objects.create(
        mail_from=mail_from,
        to=", ".join(recipients),
        subject=str(message.get("Subject", ""))[:500],
        text=bodies.get("text/plain", ""),
        html=bodies.get("text/html", ""),
        raw=raw.decode("utf-8", errors="replace"),
    )


class CatchingHandler:
    async def handle_DATA(self, server, session, envelope: Envelope) -> str:
        # aiosmtpd runs handlers on its event loop; the ORM runs in a thread.
        await sync_to_async(caught_mail_store)(
            mail_from=envelope.mail_from, recipients=list(envelope.rcpt_tos), raw=envelope.original_content
        )
        return "250 Caught"


def catcher_start(*, host: str, port: int) -> Controller:
    """The catcher listening on host:port in a thread of its own; `.stop()` ends it."""
    controller = Controller(CatchingHandler(), hostname=host, port=port)
    controller.start()
    return controller
