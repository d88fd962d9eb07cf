"""A message as the socket frames and the REST API show it."""

from chat.models import Message
from notifications.frames import iso


def message_frame(message: Message) -> dict:
    return {
        "id": str(message.pk),
        "conversation_id": str(message.conversation_id),
        "sender_id": str(message.sender_id),
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
    }
