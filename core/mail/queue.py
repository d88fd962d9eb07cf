"""mail_queue: record a mail in the caller's transaction, send it after commit."""

import base64
import json
from collections.abc import Sequence
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from core.mail.tasks import send_mail
from core.models import MailStatus, OutgoingMail
from core.sql import sql_tables

# (filename, content, mimetype), e.g. ("invite.ics", b"BEGIN:VCALENDAR...", "text/calendar; method=REQUEST")
Attachment = tuple[str, bytes, str]


def mail_queue(
    *,
    key: str,
    to: str,
    template: str,
    context: dict,
    attachments: Sequence[Attachment] = (),
    unsubscribe_url: str | None = None,
) -> bool:
    """Record one mail to `to` under `key`, to be sent after the caller's transaction commits.

    Renders templates/mail/{template}.subject.txt, .txt and .html with `context` (JSON values: it is stored and
    rendered by the worker). `unsubscribe_url` adds List-Unsubscribe and List-Unsubscribe-Post (RFC 8058).
    Returns False, recording nothing, when a mail with this key was queued before: use a key per cause and
    recipient (`notification:{id}:{user_id}`) and a retried caller never mails twice."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "kazi.localhost"
    now = timezone.now()
    with transaction.atomic():
        # ON CONFLICT DO NOTHING: a concurrent caller with the same key waits for ours and inserts nothing, where a
        # get_or_create would fail with an IntegrityError inside the caller's transaction.
        with connection.cursor() as cursor:
            cursor.execute(
                sql_tables(
                    'INSERT INTO $mail (key, "to", template, context, attachments, unsubscribe_url, message_id, '
                    "status, attempts, next_attempt_at, last_error, created_at) "
                    "VALUES (%s, %s, %s, %s::jsonb, %s::jsonb, %s, %s, %s, 0, %s, '', %s) "
                    "ON CONFLICT (key) DO NOTHING RETURNING id",
                    mail=OutgoingMail,
                ),
                [
                    key,
                    to,
                    template,
                    _json(context),
                    _json(
                        [
                            {"filename": name, "mimetype": mimetype, "content": base64.b64encode(content).decode()}
                            for name, content, mimetype in attachments
                        ]
                    ),
                    unsubscribe_url or "",
                    make_msgid(domain=domain),
                    MailStatus.PENDING,
                    now,
                    now,
                ],
            )
            row = cursor.fetchone()
        if row is None:
            return False
        mail_id = row[0]
        transaction.on_commit(lambda: send_mail.delay(mail_id=mail_id))
    return True


def _json(value) -> str:
    # Dates, UUIDs and decimals in a context become strings, as they would in a JSONField with this encoder.
    return json.dumps(value, cls=DjangoJSONEncoder)
