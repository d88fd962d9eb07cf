"""Who hears what of chat, in the contract's shapes: receivers of its signals that call the broadcaster."""

from chat import signals
from chat.frames import message_frame
from chat.services import unread_notice_claim
from notifications import groups
from notifications.broadcaster import broadcaster
from notifications.frames import iso
from notifications.presence import online_user_ids
from notifications.services import notifications_rewrite_related


def _others_groups(participant_ids: list[int], user_id: int) -> list[str]:
    return [groups.user_group(uid) for uid in participant_ids if uid != user_id]


# The dispatch_uid of on_message_sent: chat/socket_send.py stores a socket's message itself (the same events as
# on_message_sent) only while no other receiver listens to message_sent.
MESSAGE_SENT_UID = "chat.events.message_sent"


def notice_candidates(participant_ids: list[int], muted_ids, author_id: int) -> list[int]:
    """The participants who get a stored `message` notification of a message if they have no open socket: every
    one but its author and those who muted the conversation."""
    muted = set(muted_ids)
    return [uid for uid in participant_ids if uid not in muted and uid != author_id]


def new_message_events(
    *, conversation_id: str, frame: dict, participant_ids: list[int], muted_ids, author_id: int
) -> list[dict]:
    """The `new_message` events of a message, as broadcaster.publish() arguments (less `related`, the message):
    everyone's, the author's own stored read; who muted the conversation gets it marked `muted` and stored read
    (no toast, no bell)."""
    muted = set(muted_ids)
    loud = [uid for uid in participant_ids if uid not in muted]
    payload = {"conversation_id": conversation_id, "message": frame}
    events = [dict(user_ids=loud, event_type="new_message", payload=payload, read_by=[author_id])]
    if muted:
        muted_list = list(muted)
        events.append(
            dict(user_ids=muted_list, event_type="new_message", payload={**payload, "muted": True}, read_by=muted_list)
        )
    return events


def unread_notice(*, author_name: str, conversation_id: str, author_id: int, message_id, text: str) -> dict:
    """The stored `message` notification of a message to those offline who were not told yet, as
    broadcaster.publish() arguments (less `user_ids` and `related`, the conversation)."""
    return dict(
        event_type="notification",
        notification_type="message",
        title=f"New message from {author_name}",
        message=text,
        payload={"conversation_id": conversation_id, "sender_id": str(author_id), "message_id": str(message_id)},
    )


def on_message_sent(sender, message, participant_ids: list[int], muted_ids: list[int] = (), **kwargs) -> None:
    """Everyone gets the `new_message` event (new_message_events); who has no open socket also gets one stored
    `message` notification per conversation until they read it (unread_notice), but not who muted the
    conversation (so no mail); the conversation's own unread count still counts the message."""
    author = message.sender
    others = notice_candidates(participant_ids, muted_ids, author.pk)
    # Ask Redis who is offline before publishing: the event lock is held from publish to commit.
    online = online_user_ids(others)
    offline = [uid for uid in others if uid not in online]
    conversation_id = str(message.conversation_id)
    for event in new_message_events(
        conversation_id=conversation_id,
        frame=message_frame(message),
        participant_ids=participant_ids,
        muted_ids=muted_ids,
        author_id=author.pk,
    ):
        broadcaster.publish(**event, related=message)
    if not offline:
        return
    pending = unread_notice_claim(conversation_id=message.conversation_id, user_ids=offline)
    if not pending:
        return
    notice = unread_notice(
        author_name=author.full_name,
        conversation_id=conversation_id,
        author_id=author.pk,
        message_id=message.pk,
        text=message.content[:200] or message.attachment_name,
    )
    broadcaster.publish(user_ids=pending, **notice, related=message.conversation)


def on_message_deleted(sender, message, participant_ids: list[int], deleted_by, **kwargs) -> None:
    # Stored events must not keep the text: the notification list and replays show the message deleted.
    notifications_rewrite_related(
        related=message,
        event_type="new_message",
        recipient_ids=participant_ids,
        data={"conversation_id": str(message.conversation_id), "message": {**message_frame(message), "deleted": True}},
    )
    notifications_rewrite_related(
        related=message.conversation,
        event_type="notification",
        recipient_ids=participant_ids,
        data_contains={"message_id": str(message.pk)},
        message="",
    )
    broadcaster.publish_transient(
        to_groups=_others_groups(participant_ids, deleted_by.pk),
        frame={
            "type": "message_deleted",
            "conversation_id": str(message.conversation_id),
            "message_id": str(message.pk),
        },
    )


def on_message_edited(sender, message, participant_ids: list[int], muted_ids: list[int] = (), **kwargs) -> None:
    """Every participant's sockets (the editor's other tabs too) get `message_edited`; the stored `new_message`
    events are rewritten so that the notification list and replays show the new text."""
    frame = message_frame(message)
    muted = set(muted_ids)
    loud = [uid for uid in participant_ids if uid not in muted]
    for recipients, extra in ((loud, {}), (list(muted), {"muted": True})):
        if recipients:
            notifications_rewrite_related(
                related=message,
                event_type="new_message",
                recipient_ids=recipients,
                data={"conversation_id": str(message.conversation_id), "message": frame, **extra},
            )
    broadcaster.publish_transient(
        to_groups=[groups.user_group(uid) for uid in participant_ids],
        frame={"type": "message_edited", "conversation_id": str(message.conversation_id), "message": frame},
    )


def _conversation_name(conversation) -> str:
    return conversation.title or "a group conversation"


def on_participant_added(sender, conversation, actor, user, participant_ids: list[int], **kwargs) -> None:
    """Every member, the newcomer included, gets a stored `participant_added` (the actor's own copy read)."""
    broadcaster.publish(
        user_ids=participant_ids,
        event_type="participant_added",
        message=f"{actor.full_name} added {user.full_name} to {_conversation_name(conversation)}",
        payload={
            "conversation_id": str(conversation.pk),
            "user_id": str(user.pk),
            "name": user.full_name,
            "added_by": str(actor.pk),
        },
        related=conversation,
        read_by=[actor.pk],
    )


def on_participant_removed(sender, conversation, actor, user, participant_ids: list[int], **kwargs) -> None:
    """Every member before the change, the removed one included (their page drops the conversation), gets a
    stored `participant_removed`; after it the removed one hears nothing more of the conversation."""
    left = actor.pk == user.pk
    words = (
        f"{user.full_name} left {_conversation_name(conversation)}"
        if left
        else f"{actor.full_name} removed {user.full_name} from {_conversation_name(conversation)}"
    )
    broadcaster.publish(
        user_ids=participant_ids,
        event_type="participant_removed",
        message=words,
        payload={
            "conversation_id": str(conversation.pk),
            "user_id": str(user.pk),
            "name": user.full_name,
            "removed_by": str(actor.pk),
            "left": left,
        },
        related=conversation,
        read_by=[actor.pk],
    )


def on_conversation_read(sender, conversation, user, read_at, participant_ids: list[int], **kwargs) -> None:
    broadcaster.publish_transient(
        to_groups=_others_groups(participant_ids, user.pk),
        frame={
            "type": "messages_read",
            "conversation_id": str(conversation.pk),
            "user_id": str(user.pk),
            "up_to": iso(read_at),
        },
    )


def on_typing_changed(sender, conversation_id, user, is_typing: bool, participant_ids: list[int], **kwargs) -> None:
    broadcaster.publish_transient(
        to_groups=_others_groups(participant_ids, user.pk),
        frame={
            "type": "user_typing",
            "conversation_id": str(conversation_id),
            "user_id": str(user.pk),
            "is_typing": is_typing,
        },
    )


def connect() -> None:
    signals.message_sent.connect(on_message_sent, dispatch_uid=MESSAGE_SENT_UID)
    signals.message_deleted.connect(on_message_deleted, dispatch_uid="chat.events.message_deleted")
    signals.message_edited.connect(on_message_edited, dispatch_uid="chat.events.message_edited")
    signals.participant_added.connect(on_participant_added, dispatch_uid="chat.events.participant_added")
    signals.participant_removed.connect(on_participant_removed, dispatch_uid="chat.events.participant_removed")
    signals.conversation_read.connect(on_conversation_read, dispatch_uid="chat.events.conversation_read")
    signals.typing_changed.connect(on_typing_changed, dispatch_uid="chat.events.typing_changed")
