"""What a call from chat leaves in its conversation: "missed call" or "call, 12 min".

A message of the caller's, as chat apps show it, written without the send rate limit (the person did not
type it) and delivered like any other (`new_message`, the offline `message` notice).
"""

from django.contrib.postgres.search import SearchVector
from django.db import transaction
from django.db.models import Value

from accounts.models import User
from chat import signals
from chat.models import Conversation, Message, MessageType, Participant


@transaction.atomic
def call_note_post(*, conversation_id, caller: User, text: str) -> Message | None:
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return None  # deleted while the call ran: nowhere to note it
    participant_ids = list(Participant.objects.filter(conversation=conversation).values_list("user_id", flat=True))
    message = Message.objects.create(
        conversation=conversation,
        sender=caller,
        content=text,
        message_type=MessageType.TEXT,
        search_vector=SearchVector(Value(text), config="english"),
    )
    message.search_vector = None
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=message.created_at)
    Participant.objects.filter(conversation=conversation).update(hidden_at=None)
    signals.message_sent.send(sender=Message, message=message, participant_ids=participant_ids)
    return message
