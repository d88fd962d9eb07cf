"""A message as the socket frames and the REST API show it."""

from chat.models import Message
from notifications.frames import iso

DELETED_USER = "Deleted user"


def sender_name(message: Message) -> str:
    return message.sender.full_name if message.sender_id else DELETED_USER


def message_frame(message: Message) -> dict:
    return {
        "id": str(message.pk),
        "conversation_id": str(message.conversation_id),
        # Null once the sender's account was erased: the message stays for the others, from "Deleted user".
        "sender_id": str(message.sender_id) if message.sender_id else None,
        "content": message.content,
        "message_type": message.message_type,
        "attachment": (
            {
                "name": message.attachment_name,
                "size": message.attachment_size,
                "content_type": message.attachment_content_type,
                "url": f"/api/chat/conversations/{message.conversation_id}/messages/{message.pk}/attachment/",
            }
            if message.attachment
            else None
        ),
        "created_at": iso(message.created_at),
        # Set once the sender edited it: pages show "edited".
        "edited_at": iso(message.edited_at) if message.edited_at else None,
    }


def new_text_frame(*, message_id, conversation_id, sender_id: int, content: str, created_at) -> dict:
    """message_frame of a text message just stored (no attachment, never edited), without a Message made for it."""
    return {
        "id": str(message_id),
        "conversation_id": str(conversation_id),
        "sender_id": str(sender_id),
        "content": content,
        "message_type": "text",
        "attachment": None,
        "created_at": iso(created_at),
        "edited_at": None,
    }
