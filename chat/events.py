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


def on_message_sent(sender, message, participant_ids: list[int], **kwargs) -> None:
    """Everyone gets the `new_message` event; who has no open socket also gets one stored `message`
    notification per conversation until they read it."""
    author = message.sender
    others = [uid for uid in participant_ids if uid != author.pk]
    # Ask Redis who is offline before publishing: the event lock is held from publish to commit.
    online = online_user_ids(others)
    offline = [uid for uid in others if uid not in online]
    broadcaster.publish(
        user_ids=participant_ids,
        event_type="new_message",
        payload={"conversation_id": str(message.conversation_id), "message": message_frame(message)},
        related=message,
        read_by=[author.pk],
    )
    if not offline:
        return
    pending = unread_notice_claim(conversation_id=message.conversation_id, user_ids=offline)
    if not pending:
        return
    broadcaster.publish(
        user_ids=pending,
        event_type="notification",
        notification_type="message",
        title=f"New message from {author.full_name}",
        message=message.content[:200] or message.attachment_name,
        payload={
            "conversation_id": str(message.conversation_id),
            "sender_id": str(author.pk),
            "message_id": str(message.pk),
        },
        related=message.conversation,
    )


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
    signals.message_sent.connect(on_message_sent, dispatch_uid="chat.events.message_sent")
    signals.message_deleted.connect(on_message_deleted, dispatch_uid="chat.events.message_deleted")
    signals.conversation_read.connect(on_conversation_read, dispatch_uid="chat.events.conversation_read")
    signals.typing_changed.connect(on_typing_changed, dispatch_uid="chat.events.typing_changed")
