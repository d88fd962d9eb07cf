"""Calls from chat: start one from a direct conversation, ring the other person, note how it went."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from accounts.models import User
from chat import selectors as chat_selectors
from chat.call_notes import call_note_post
from chat.models import ConversationKind
from interviews import services as interview_services
from interviews.choices import InterviewStatus
from interviews.models import Interview
from notifications.broadcaster import broadcaster
from notifications.frames import iso
from notifications.models import Priority

CALL_INCOMING = "call_incoming"


def room_url(interview: Interview) -> str:
    return f"/interview/{interview.pk}/"


@transaction.atomic
def call_from_conversation(*, caller: User, conversation_id) -> tuple[Interview, bool]:
    """(the call, whether it is new): a call of the conversation still ringing or running is joined, not doubled.

    The other participant gets `call_incoming` (stored, like every event, so a reconnecting page still rings)."""
    conversation = chat_selectors.conversation_for(caller, conversation_id)
    if conversation is None:
        raise Http404("No such conversation.")
    if conversation.kind != ConversationKind.DIRECT:
        raise ValidationError({"detail": "Video calls are for direct conversations only."})
    callee = User.objects.filter(chat_participations__conversation=conversation).exclude(pk=caller.pk).first()
    if callee is None or not callee.is_active:
        raise PermissionDenied("The other person of this conversation cannot be called.")
    running = interview_services.call_open(caller=caller, callee=callee, conversation_id=conversation.pk)
    if running is not None:
        return running, False
    call = interview_services.call_start(caller=caller, callee=callee, conversation_id=conversation.pk)
    broadcaster.publish(
        user_ids=[callee.pk],
        event_type=CALL_INCOMING,
        message=f"{caller.full_name} is calling you",
        priority=Priority.URGENT,
        payload={
            "interview_id": str(call.pk),
            "conversation_id": str(conversation.pk),
            "caller": {"id": str(caller.pk), "name": caller.full_name},
            "room_url": room_url(call),
            "ring_until": iso(call.scheduled_at + timedelta(seconds=settings.KAZI_CALL_RING_SECONDS)),
        },
        related=call,
    )
    return call, True


def call_note_for(interview: Interview) -> None:
    """ "missed call" or "call, 12 min", from the caller, in the conversation the call came from."""
    if interview.chat_conversation_id is None or interview.organizer is None:
        return
    if interview.status == InterviewStatus.COMPLETED:
        minutes = interview_services.call_minutes(interview)
        text = f"call, {minutes} min" if minutes else "missed call"
    else:
        text = "missed call"
    call_note_post(conversation_id=interview.chat_conversation_id, caller=interview.organizer, text=text)
