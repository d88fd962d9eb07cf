"""A text message from a socket, in two round trips to PostgreSQL and two to Redis.

services.message_send and its receiver chat.events.on_message_sent take four round trips to PostgreSQL (BEGIN,
the message, the events, COMMIT) and three to Redis (the send limit, who is online, the publish), each through
Django's transaction machinery. This stores the same rows and publishes the same frames, in the same order of
checks, with the transaction sent by hand (core.sql.pipelined_transaction):

1. BEGIN and the message (services.touch_and_insert_statement: the membership check, the conversation's
   state, the INSERT), which returns the participants;
2. Redis, one script (services.count_send): the send limit's count and which of the others have a live socket;
3. the mark (docs/realtime.md), the events (broadcaster.stage) and COMMIT; when someone is offline, the
   unread-notice claim goes before the COMMIT and the notice's INSERT with it (one round trip more);
4. after the commit, one PUBLISH pipeline of every event.

A refusal rolls everything back, as message_send's transaction does. Content that would be refused, and any
receiver of signals.message_sent besides chat.events', send the message through message_send instead.
"""

import uuid

from django.utils import timezone

from accounts.models import User
from chat import events, services, signals
from chat.frames import new_text_frame
from chat.models import Conversation, Message
from core.sql import pipelined_transaction
from notifications import event_log, transport
from notifications.broadcaster import broadcaster


def send_text(*, conversation_id: str, sender: User, content: str) -> None:
    """message_send(visible_only=True) of a text message: raises what it raises (NotInConversation,
    SendRateExceeded, ValidationError)."""
    text = services.accepted_text(content)
    if text is None or not _only_chat_hears():
        # message_send tells a sender who is not in the conversation so before it refuses the content.
        services.message_send(
            conversation=Conversation(id=conversation_id), sender=sender, content=content, visible_only=True
        )
        return
    message_id, at = uuid.uuid4(), timezone.now()
    params = services.new_text_params(
        message_id=message_id, conversation_id=conversation_id, sender_id=sender.pk, content=text, at=at
    )
    with pipelined_transaction() as transaction:
        [rows] = transaction.run(services.touch_and_insert_statement(params, visible_only=True))
        members = dict(rows)
        if sender.pk not in members:
            raise services.NotInConversation()
        muted = [uid for uid, is_muted in members.items() if is_muted and uid != sender.pk]
        others = events.notice_candidates(list(members), muted, sender.pk)
        # Without Redis this raises, as the online check of chat.events does: the message is not sent.
        count, online = services.count_send(sender.pk, others)
        # After the message's statement, so that a refused sender's attempts do not count; this rolls it back.
        services.refuse_over_limit(count)
        frame = new_text_frame(
            message_id=message_id, conversation_id=conversation_id, sender_id=sender.pk, content=text, created_at=at
        )
        staged = [
            broadcaster.stage(**event, related=(Message, message_id))
            for event in events.new_message_events(
                conversation_id=conversation_id,
                frame=frame,
                participant_ids=list(members),
                muted_ids=muted,
                author_id=sender.pk,
            )
        ]
        offline = [uid for uid in others if uid not in online]
        messages = _store(transaction, staged, offline, sender, conversation_id, message_id, text)
    transport.publish(messages)


def _store(transaction, staged: list, offline: list[int], sender: User, conversation_id: str, message_id, text: str):
    """The mark, the staged events and, for `offline` participants not told yet, the unread notice; committed.
    The (group, envelope) messages to publish."""
    statements = [event_log.mark_statement(), *(events_of.statement for events_of in staged)]
    if not offline:
        results = transaction.commit(*statements)[1:]
    else:
        *results, claimed = transaction.run(
            *statements, services.unread_notice_claim_statement(conversation_id=conversation_id, user_ids=offline)
        )[1:]
        pending = [uid for (uid,) in claimed]
        if pending:
            notice = events.unread_notice(
                author_name=sender.full_name,
                conversation_id=conversation_id,
                author_id=sender.pk,
                message_id=message_id,
                text=text[:200],
            )
            staged = [*staged, broadcaster.stage(user_ids=pending, **notice, related=(Conversation, conversation_id))]
            results += transaction.commit(staged[-1].statement)
        else:
            transaction.commit()
    return [message for events_of, rows in zip(staged, results, strict=True) for message in events_of.messages(rows)]


def _only_chat_hears() -> bool:
    """Whether chat.events' receiver is the only one of message_sent: this module stores what it would."""
    return [key[0] for key, *_ in signals.message_sent.receivers] == [events.MESSAGE_SENT_UID]
