"""Reads of chat that other apps and callers share."""

from chat.models import Participant


def conversation_partner_ids(user_id: int) -> list[int]:
    """Everyone who shares a conversation with the user: the audience of their presence."""
    conversations = Participant.objects.filter(user_id=user_id, hidden_at__isnull=True).values("conversation_id")
    return list(
        Participant.objects.filter(conversation_id__in=conversations)
        .exclude(user_id=user_id)
        .values_list("user_id", flat=True)
        .distinct()
    )
