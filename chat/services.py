"""Writes of chat: conversations, messages, read positions, typing. REST and the socket call these."""

import hashlib
import time
from datetime import timedelta

import redis
from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Value
from django.http import Http404
from django.utils import timezone
from django.utils.text import get_valid_filename

from accounts.models import User
from chat import signals
from chat.attachments import detect_attachment
from chat.models import Conversation, ConversationKind, Message, MessageType, Participant
from chat.sanitize import clean_message, has_visible_text
from core.exceptions import PayloadTooLarge
from core.redis import redis_client
from core.sql import run_pipelined
from marketplace.models import Application
from notifications import presence
from notifications.frames import iso


class SendRateExceeded(Exception):
    def __init__(self, retry_after: int):
        super().__init__(f"Too many messages: wait {retry_after} s before sending more.")
        self.retry_after = retry_after


# --- who may talk to whom ------------------------------------------------------------------
def why_cannot_start(initiator: User, other: User) -> str | None:
    """None when `initiator` may open a conversation with `other`, else the reason in words."""
    if other.pk == initiator.pk:
        return "You cannot start a conversation with yourself."
    if not other.is_active:
        return "That user is not active."
    if initiator.is_admin or other.is_admin:
        return None
    if initiator.is_recruiter and other.is_job_seeker:
        # A recruiter finds every active seeker in candidate search, so may write to any of them.
        return None
    if initiator.is_job_seeker and other.is_recruiter:
        if (
            other.company_id
            and Application.objects.filter(candidate=initiator, job__company_id=other.company_id).exists()
        ):
            return None
        return "You can message recruiters of companies you have applied to."
    return "Recruiters talk with job seekers, and job seekers with recruiters of companies they applied to."


# --- conversations --------------------------------------------------------------------------
def _direct_key(a: int, b: int) -> str:
    low, high = sorted((a, b))
    return f"{low}:{high}"


@transaction.atomic
def conversation_start_direct(
    *, initiator: User, other: User, title: str = "", related_job=None
) -> tuple[Conversation, bool]:
    """The conversation of the pair, created when missing; (conversation, created)."""
    key = _direct_key(initiator.pk, other.pk)
    existing = Conversation.objects.filter(direct_key=key).first()
    if existing is not None:
        Participant.objects.filter(conversation=existing, user=initiator).update(hidden_at=None)
        return existing, False
    reason = why_cannot_start(initiator, other)
    if reason:
        raise PermissionDenied(reason)
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                kind=ConversationKind.DIRECT,
                direct_key=key,
                title=title,
                related_job=related_job,
                created_by=initiator,
            )
    except IntegrityError:
        # The other side opened it at the same moment: the unique key let one through.
        return Conversation.objects.get(direct_key=key), False
    Participant.objects.bulk_create([Participant(conversation=conversation, user=u) for u in (initiator, other)])
    return conversation, True


@transaction.atomic
def conversation_start_group(*, initiator: User, others: list[User], title: str = "", related_job=None) -> Conversation:
    others = [user for user in {user.pk: user for user in others}.values() if user.pk != initiator.pk]
    if len(others) < 2:
        raise ValidationError({"participant_ids": ["A group needs at least two other participants."]})
    for other in others:
        reason = why_cannot_start(initiator, other)
        if reason:
            raise PermissionDenied(f"{other.full_name}: {reason}")
    conversation = Conversation.objects.create(
        kind=ConversationKind.GROUP, title=title, related_job=related_job, created_by=initiator
    )
    Participant.objects.bulk_create(
        [Participant(conversation=conversation, user=user) for user in (initiator, *others)]
    )
    return conversation


def conversation_leave(*, conversation: Conversation, user: User) -> None:
    """Hide the conversation for this user only; a new message in it shows it again."""
    Participant.objects.filter(conversation=conversation, user=user).update(hidden_at=timezone.now())


def conversation_archive(*, conversation: Conversation, user: User, archived: bool) -> None:
    Participant.objects.filter(conversation=conversation, user=user).update(archived=archived)


def _members(conversation_id) -> dict[int, bool]:
    """Each participant's user id and whether they muted the conversation, in one query."""
    return dict(Participant.objects.filter(conversation_id=conversation_id).values_list("user_id", "muted"))


def _participant_ids(conversation_id) -> list[int]:
    return list(_members(conversation_id))


def _require_participant(conversation_id, user: User) -> list[int]:
    ids = _participant_ids(conversation_id)
    if user.pk not in ids:
        raise PermissionDenied("You are not in this conversation.")
    return ids


# --- messages -------------------------------------------------------------------------------
# INCR, and EXPIRE for the window's first message, as one command: every message pays for it (a MULTI, INCR,
# EXPIRE, EXEC pipeline was four commands to pack and four replies to parse). A socket's message also asks, in the
# same command, which of the others have a live socket (ZCOUNT of each further key, presence.key):
# [count, live sockets of KEYS[2], of KEYS[3], ...].
_COUNT_SEND = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local replies = {count}
for i = 2, #KEYS do replies[i] = redis.call('ZCOUNT', KEYS[i], ARGV[2], '+inf') end
return replies
"""
_count_send_script: list = []  # the registered Script (EVALSHA, loaded again when Redis lost it), made on first use
# The window's length, and a little more: the key lives on into the next minute's first seconds.
_SEND_RATE_TTL = 120


def count_send(user_id: int, others: list[int] = ()) -> tuple[int, set[int]]:
    """The user's messages in this clock minute, this one counted, and which of `others` have a live socket
    (presence.online_user_ids), in one round trip. Raises redis.RedisError without Redis."""
    client = redis_client()
    if not _count_send_script:
        _count_send_script.append(client.register_script(_COUNT_SEND))
    count, *live = _count_send_script[0](
        keys=[
            f"{settings.KAZI_REALTIME_PREFIX}chat.rate.{user_id}.{int(time.time() // 60)}",
            *(presence.key(uid) for uid in others),
        ],
        args=[_SEND_RATE_TTL, time.time()],
        client=client,
    )
    return count, {uid for uid, sockets in zip(others, live, strict=True) if sockets}


def refuse_over_limit(count: int) -> None:
    """SendRateExceeded when `count`, the user's messages in this minute with this one, is over the limit."""
    if count > settings.KAZI_CHAT_MESSAGES_PER_MINUTE:
        raise SendRateExceeded(retry_after=60 - int(time.time()) % 60)


def _check_send_rate(user_id: int) -> None:
    """The same per-user limit for REST and socket: a fixed one-minute window in Redis."""
    try:
        count, _ = count_send(user_id)
    except redis.RedisError:
        return  # without Redis there is no real-time anyway; do not refuse the message for it
    refuse_over_limit(count)


@transaction.atomic
def message_send(
    *,
    conversation: Conversation,
    sender: User,
    content: str = "",
    message_type: str = MessageType.TEXT,
    attachment=None,
    visible_only: bool = False,
) -> Message:
    """Store a message and tell the participants (signals.message_sent). `visible_only`: refuse a sender who left
    (hid) the conversation, as the socket does; either refusal of a sender is NotInConversation.

    `conversation` may be a reference that carries only its id (the socket's): nothing else of it is read here."""
    message = Message(
        conversation=conversation,
        sender=sender,
        content=content,
        message_type=message_type,
        created_at=timezone.now(),
    )
    refusal = _refusal(message, attachment)
    if refusal is None and attachment is None:
        # The hot path of chat (every socket message): membership, the conversation's state and the message
        # in one statement, no model saved through the ORM.
        members = _touch_and_insert(message, visible_only=visible_only)
        _require_member(members, sender)
        # After the statement, so that a refused sender's attempts do not count; a refusal rolls the message back.
        _check_send_rate(sender.pk)
    else:
        # First, what a message changes besides itself: a sender who does not take part (or a message refused
        # below) rolls it back with the rest of this transaction.
        members = _touch_conversation(conversation.pk, sender_id=sender.pk, at=message.created_at)
        _require_member(members, sender)
        if refusal is not None:
            raise refusal
        _check_send_rate(sender.pk)
        _attach(message, attachment)
        _insert_message(message)
    signals.message_sent.send(
        sender=Message,
        message=message,
        participant_ids=list(members),
        muted_ids=[uid for uid, muted in members.items() if muted and uid != sender.pk],
    )
    return message


class NotInConversation(PermissionDenied):
    def __init__(self):
        super().__init__("You are not in this conversation.")


def _require_member(members: dict[int, bool], user: User) -> None:
    if user.pk not in members:
        raise NotInConversation()


def _refusal(message: Message, attachment) -> ValidationError | None:
    """Why the message cannot be sent as it is, judged without the database; its content cleaned meanwhile."""
    try:
        message.content = _cleaned_content(message.content)
    except ValidationError as exc:
        return exc
    if message.message_type not in MessageType.values:
        return ValidationError({"message_type": [f"Use one of: {', '.join(MessageType.values)}."]})
    if message.message_type == MessageType.TEXT and attachment is not None:
        return ValidationError({"message_type": ["A message with an attachment is of type file or image."]})
    if message.message_type != MessageType.TEXT and attachment is None:
        return ValidationError({"attachment": ["A file or image message needs an attachment."]})
    if not has_visible_text(message.content) and attachment is None:
        return ValidationError({"content": ["A message needs some text."]})
    return None


# The message row as the ORM would write it, indexed for search in the same INSERT (the SearchVector of
# message_edit): one statement less, and no model compiled into SQL on the hot path.
_MESSAGE_COLUMNS = (
    "id, conversation_id, sender_id, content, message_type, attachment, attachment_name, attachment_size, "
    "attachment_content_type, created_at, search_vector"
)
_MESSAGE_VALUES = (
    "%(id)s, %(conversation)s, %(sender)s, %(content)s, %(type)s, %(attachment)s, %(attachment_name)s, "
    "%(attachment_size)s::bigint, %(attachment_content_type)s, %(at)s, "
    "to_tsvector('english'::regconfig, COALESCE(%(content)s, ''))"
)


def _message_params(message: Message) -> dict:
    return {
        "id": message.pk,
        "conversation": message.conversation_id,
        "sender": message.sender_id,
        "content": message.content,
        "type": message.message_type,
        "attachment": message.attachment.name or "",
        "attachment_name": message.attachment_name,
        "attachment_size": message.attachment_size,
        "attachment_content_type": message.attachment_content_type,
        "at": message.created_at,
    }


def _insert_message(message: Message) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Message._meta.db_table} ({_MESSAGE_COLUMNS}) VALUES ({_MESSAGE_VALUES})",
            _message_params(message),
        )
    message._state.adding = False


def accepted_text(content: str) -> str | None:
    """The cleaned content of a text message that nothing in its content refuses (message_send's _refusal of a
    text without attachment), else None."""
    try:
        cleaned = _cleaned_content(content)
    except ValidationError:
        return None
    return cleaned if has_visible_text(cleaned) else None


def _cleaned_content(content: str) -> str:
    if len(content) > settings.KAZI_CHAT_MAX_MESSAGE_LENGTH:
        raise ValidationError(
            {"content": [f"A message can be at most {settings.KAZI_CHAT_MAX_MESSAGE_LENGTH} characters."]}
        )
    return clean_message(content)


_TOUCH_PARTICIPANTS = (
    "UPDATE {participants} AS p SET hidden_at = NULL, "
    "last_read_at = CASE WHEN p.user_id = %(sender)s THEN %(at)s ELSE p.last_read_at END, "
    "unread_notified = p.unread_notified AND p.user_id <> %(sender)s "
    "FROM touched WHERE p.conversation_id = touched.id RETURNING p.user_id, p.muted"
)


def _touch_conversation(conversation_id, *, sender_id: int, at) -> dict[int, bool]:
    """The conversation's last message time, and its participants: shown again to whoever had left it, and read
    up to now by the sender (whose next unread message then gets a notice again). Each participant's id and
    whether they muted it, in one round trip instead of three; the conversation row is locked first, as
    participant_add and participant_remove lock it."""
    conversations, participants = Conversation._meta.db_table, Participant._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH touched AS (UPDATE {conversations} SET last_message_at = %(at)s WHERE id = %(conversation)s "
            f"RETURNING id) {_TOUCH_PARTICIPANTS.format(participants=participants)}",
            {"at": at, "conversation": conversation_id, "sender": sender_id},
        )
        return dict(cursor.fetchall())


def _touch_and_insert(message: Message, *, visible_only: bool) -> dict[int, bool]:
    """touch_and_insert_statement of `message`, run in the caller's transaction: the participants, or {} when
    nothing was written."""
    [members] = run_pipelined(touch_and_insert_statement(_message_params(message), visible_only=visible_only))
    message._state.adding = False
    return dict(members)


def touch_and_insert_statement(params: dict, *, visible_only: bool) -> tuple[str, dict]:
    """_touch_conversation and the INSERT of a text message (`params` as _message_params makes them) in one
    statement, both only when the sender takes part (and, `visible_only`, has not hidden the conversation); it
    returns each participant's (user id, muted), or nothing when nothing was written. The message is inserted
    from the touched row, so it exists exactly when the conversation moved."""
    conversations, participants = Conversation._meta.db_table, Participant._meta.db_table
    sender_takes_part = (
        f"EXISTS (SELECT 1 FROM {participants} WHERE conversation_id = %(conversation)s AND user_id = %(sender)s"
        + (" AND hidden_at IS NULL)" if visible_only else ")")
    )
    return (
        f"WITH touched AS (UPDATE {conversations} SET last_message_at = %(at)s "
        f"WHERE id = %(conversation)s AND {sender_takes_part} RETURNING id), "
        f"members AS ({_TOUCH_PARTICIPANTS.format(participants=participants)}), "
        f"stored AS (INSERT INTO {Message._meta.db_table} ({_MESSAGE_COLUMNS}) "
        f"SELECT {_MESSAGE_VALUES} FROM touched) "
        "SELECT user_id, muted FROM members",
        params,
    )


def new_text_params(*, message_id, conversation_id, sender_id: int, content: str, at) -> dict:
    """_message_params of a new text message, without a Message made for it."""
    return {
        "id": message_id,
        "conversation": conversation_id,
        "sender": sender_id,
        "content": content,
        "type": MessageType.TEXT,
        "attachment": "",
        "attachment_name": "",
        "attachment_size": None,
        "attachment_content_type": "",
        "at": at,
    }


def _attach(message: Message, upload) -> None:
    limit = settings.KAZI_CHAT_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise PayloadTooLarge(f"The attachment is {upload.size} bytes; the limit is {limit} bytes.")
    detected = detect_attachment(upload, message_type=message.message_type)
    if detected is None:
        allowed = (
            "PNG, JPEG, GIF or WebP" if message.message_type == MessageType.IMAGE else "an image, PDF, DOC or DOCX"
        )
        raise ValidationError({"attachment": [f"The file is not {allowed} (judged by its content)."]})
    name = get_valid_filename((upload.name or "attachment").rsplit("/", 1)[-1])[:200] or "attachment"
    stem = name.rsplit(".", 1)[0] or "attachment"
    message.attachment_name = name
    message.attachment_size = upload.size
    message.attachment_content_type = detected.mime
    digest = hashlib.sha256(str(message.pk).encode()).hexdigest()[:8]
    message.attachment.save(f"{stem[:80]}-{digest}.{detected.extension}", upload, save=False)


def unread_notice_claim(*, conversation_id, user_ids: list[int]) -> list[int]:
    """Those of `user_ids` not yet told of an unread message in the conversation, now marked as told: one
    stored notice per conversation until they read it. One statement: the rows it updates are those it claims."""
    with connection.cursor() as cursor:
        cursor.execute(*unread_notice_claim_statement(conversation_id=conversation_id, user_ids=user_ids))
        return [user_id for (user_id,) in cursor.fetchall()]


def unread_notice_claim_statement(*, conversation_id, user_ids: list[int]) -> tuple[str, list]:
    """unread_notice_claim as a statement and its parameters; it returns the claimed user ids."""
    return (
        f"UPDATE {Participant._meta.db_table} SET unread_notified = true WHERE conversation_id = %s "
        "AND user_id = ANY(%s) AND NOT unread_notified RETURNING user_id",
        [conversation_id, list(user_ids)],
    )


@transaction.atomic
def message_delete(*, message: Message, user: User) -> None:
    if message.sender_id != user.pk:
        raise PermissionDenied("Only the sender can delete a message.")
    if message.deleted_at is not None:
        return
    stored_file = message.attachment.name if message.attachment else ""
    storage = message.attachment.storage
    message.deleted_at, message.content, message.attachment = timezone.now(), "", ""
    Message.objects.filter(pk=message.pk).update(
        deleted_at=message.deleted_at, content="", attachment="", search_vector=None
    )
    if stored_file:
        transaction.on_commit(lambda: storage.delete(stored_file))
    signals.message_deleted.send(
        sender=Message,
        message=message,
        participant_ids=_participant_ids(message.conversation_id),
        deleted_by=user,
    )


@transaction.atomic
def conversation_mark_read(*, conversation: Conversation, user: User) -> str:
    participant_ids = _require_participant(conversation.pk, user)
    now = timezone.now()
    Participant.objects.filter(conversation=conversation, user=user).update(last_read_at=now, unread_notified=False)
    signals.conversation_read.send(
        sender=Conversation, conversation=conversation, user=user, read_at=now, participant_ids=participant_ids
    )
    return iso(now)


def typing_publish(*, conversation_id, user: User, is_typing: bool) -> None:
    """Tell the other participants; never stored. Coalescing happens in the socket (typing_state.py)."""
    participant_ids = _require_participant(conversation_id, user)
    signals.typing_changed.send(
        sender=Conversation,
        conversation_id=conversation_id,
        user=user,
        is_typing=is_typing,
        participant_ids=participant_ids,
    )


@transaction.atomic
def message_edit(*, message: Message, user: User, content: str) -> Message:
    """The sender rewrites their message within KAZI_CHAT_EDIT_MINUTES of sending it; the search index follows."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.sender_id != user.pk:
        raise PermissionDenied("Only the sender can edit a message.")
    if message.deleted_at is not None:
        raise ValidationError({"detail": "A deleted message cannot be edited."})
    minutes = settings.KAZI_CHAT_EDIT_MINUTES
    if timezone.now() - message.created_at > timedelta(minutes=minutes):
        raise ValidationError({"detail": f"A message can only be edited in the {minutes} minutes after it was sent."})
    members = _members(message.conversation_id)
    if user.pk not in members:
        raise PermissionDenied("You are not in this conversation.")
    content = _cleaned_content(content)
    if not has_visible_text(content) and not message.attachment:
        raise ValidationError({"content": ["A message needs some text."]})
    message.content, message.edited_at = content, timezone.now()
    Message.objects.filter(pk=message.pk).update(
        content=content, edited_at=message.edited_at, search_vector=SearchVector(Value(content), config="english")
    )
    signals.message_edited.send(
        sender=Message,
        message=message,
        participant_ids=list(members),
        muted_ids=[uid for uid, muted in members.items() if muted],
    )
    return message


# --- group membership and muting ------------------------------------------------------------------
def _lock_group(conversation: Conversation) -> list[int]:
    """The group's member ids, with its row locked: two membership changes at once apply one after the other."""
    if conversation.kind != ConversationKind.GROUP:
        raise ValidationError({"detail": "The members of a direct conversation cannot change; start a group instead."})
    Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
    return _participant_ids(conversation.pk)


def why_cannot_add(actor: User, other: User) -> str | None:
    """None when `actor` may add `other` to a group: whom they could write to, or a colleague of their company."""
    if actor.is_recruiter and other.is_recruiter and actor.company_id and actor.company_id == other.company_id:
        return None if other.is_active else "That user is not active."
    return why_cannot_start(actor, other)


@transaction.atomic
def participant_add(*, conversation: Conversation, actor: User, user: User) -> Participant:
    """A member adds someone; the newcomer reads the group from now on, not what was said before."""
    member_ids = _lock_group(conversation)
    if actor.pk not in member_ids:
        raise PermissionDenied("You are not in this conversation.")
    if user.pk in member_ids:
        raise ValidationError({"user_id": ["Already a member of this conversation."]})
    reason = why_cannot_add(actor, user)
    if reason:
        raise PermissionDenied(reason)
    now = timezone.now()
    participant = Participant.objects.create(
        conversation=conversation, user=user, joined_at=now, history_from=now, last_read_at=now
    )
    signals.participant_added.send(
        sender=Conversation, conversation=conversation, actor=actor, user=user, participant_ids=[*member_ids, user.pk]
    )
    return participant


@transaction.atomic
def participant_remove(*, conversation: Conversation, actor: User, user: User) -> None:
    """A member removes another, or themselves (leaving). The removed one hears of it, then nothing more: the
    conversation is gone from their list and API, so they cannot read or post in it."""
    member_ids = _lock_group(conversation)
    if actor.pk not in member_ids:
        raise PermissionDenied("You are not in this conversation.")
    if user.pk not in member_ids:
        raise Http404("No such member in this conversation.")
    Participant.objects.filter(conversation=conversation, user=user).delete()
    signals.participant_removed.send(
        sender=Conversation, conversation=conversation, actor=actor, user=user, participant_ids=member_ids
    )


def conversation_mute(*, conversation: Conversation, user: User, muted: bool) -> None:
    """Muted: no toast and no mail for its messages; they still count as unread."""
    Participant.objects.filter(conversation=conversation, user=user).update(muted=muted)
