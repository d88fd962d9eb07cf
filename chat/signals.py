"""Signals of chat, sent by its services once the change is written (inside their transaction).

chat/events.py turns them into frames and notifications; the participants' ids travel along because the
service has just read them, so no receiver queries them again on the hot path.
"""

from django.dispatch import Signal

# kwargs: message (conversation and sender attached), participant_ids — every participant, sender included
message_sent = Signal()
# kwargs: message (already blanked), participant_ids, deleted_by
message_deleted = Signal()
# kwargs: conversation, user, read_at, participant_ids — `user` read the conversation up to `read_at`
conversation_read = Signal()
# kwargs: conversation_id, user, is_typing, participant_ids — not stored
typing_changed = Signal()
