"""Signals of chat, sent by its services once the change is written (inside their transaction).

chat/events.py turns them into frames and notifications; the participants' ids travel along because the
service has just read them, so no receiver queries them again on the hot path.
"""

from django.dispatch import Signal

# kwargs: message (conversation and sender attached), participant_ids — every participant, sender included;
# muted_ids — those of them (never the sender) who muted the conversation
message_sent = Signal()
# kwargs: message (with its new content and edited_at), participant_ids, muted_ids
message_edited = Signal()
# kwargs: conversation, actor, user (the newcomer), participant_ids — every member, the newcomer included
participant_added = Signal()
# kwargs: conversation, actor, user (who is removed, or who left when user is actor), participant_ids — every
# member before the removal, the removed one included
participant_removed = Signal()
# kwargs: message (already blanked), participant_ids, deleted_by
message_deleted = Signal()
# kwargs: conversation, user, read_at, participant_ids — `user` read the conversation up to `read_at`
conversation_read = Signal()
# kwargs: conversation_id, user, is_typing, participant_ids — not stored
typing_changed = Signal()
