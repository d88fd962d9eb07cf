"""Outgoing mail, exactly once per key: `mail_queue` in the caller's transaction, a Celery task sends it.

The guarantee and its one gap (see sending.py): a mail is recorded once per key (a unique row written with the
change that causes it), sent by at most one worker at a time (the row is claimed: `sending` with a timestamp),
and marked `sent` right after the SMTP server accepted it. SMTP has no idempotency key, so a worker that dies
in the instant between the server's "250 accepted" and our commit of `sent` leaves a row that is sent again
after KAZI_EMAIL_SENDING_TIMEOUT: that window (milliseconds) is the only at-least-once case, and the resend
carries the same Message-ID, by which many mail systems drop the copy.
"""

from core.mail.queue import Attachment, mail_queue

__all__ = ["Attachment", "mail_queue"]
