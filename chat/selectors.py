"""Reads of chat that other apps and callers share."""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from chat.models import Conversation, Message, Participant


def conversation_partner_ids(user_id: int) -> list[int]:
    """Everyone who shares a conversation with the user: the audience of their presence."""
    return conversation_partners_of([user_id])[user_id]


def conversation_partners_of(user_ids: list[int]) -> dict[int, list[int]]:
    """conversation_partner_ids of many users in one query (thousands come online at once after a deploy)."""
    mine = list(
        Participant.objects.filter(user_id__in=user_ids, hidden_at__isnull=True).values_list(
            "conversation_id", "user_id"
        )
    )
    members: dict = {}
    for conversation_id, user_id in Participant.objects.filter(
        conversation_id__in={conversation_id for conversation_id, _ in mine}
    ).values_list("conversation_id", "user_id"):
        members.setdefault(conversation_id, []).append(user_id)
    partners: dict[int, dict[int, None]] = {user_id: {} for user_id in user_ids}
    for conversation_id, user_id in mine:
        partners[user_id].update(dict.fromkeys(other for other in members[conversation_id] if other != user_id))
    return {user_id: list(others) for user_id, others in partners.items()}


def conversations_for(user, *, archived: bool | None = False, search: str = "") -> QuerySet[Conversation]:
    """The user's visible conversations with their own unread count, newest activity first."""
    mine = Participant.objects.filter(conversation=OuterRef("pk"), user=user)
    # Inside the message subquery an OuterRef points at the message row: correlate on its conversation.
    my_read = Participant.objects.filter(conversation=OuterRef("conversation"), user=user)
    unread = (
        Message.objects.filter(conversation=OuterRef("pk"), deleted_at__isnull=True)
        .exclude(sender=user)
        .filter(
            Q(created_at__gt=Subquery(my_read.values("last_read_at")[:1]))
            | Q(Exists(my_read.filter(last_read_at__isnull=True)))
        )
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    conversations = (
        Conversation.objects.filter(participants__user=user, participants__hidden_at__isnull=True)
        .annotate(
            unread_count=Coalesce(Subquery(unread[:1], output_field=IntegerField()), 0),
            archived=Subquery(mine.values("archived")[:1]),
            muted=Subquery(mine.values("muted")[:1]),
            history_from=Subquery(mine.values("history_from")[:1]),
            last_read_at=Subquery(mine.values("last_read_at")[:1]),
        )
        .select_related("related_job")
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.select_related("user")))
        .order_by(F("last_message_at").desc(nulls_last=True), "-created_at")
    )
    if archived is not None:
        conversations = conversations.filter(archived=archived)
    if search:
        # The other participants' names: the caller's own name would match every conversation.
        others_match = (
            Participant.objects.filter(conversation=OuterRef("pk"))
            .exclude(user=user)
            .filter(
                Q(user__first_name__icontains=search)
                | Q(user__last_name__icontains=search)
                | Q(user__email__icontains=search)
            )
        )
        conversations = conversations.filter(Q(title__icontains=search) | Q(Exists(others_match)))
    return conversations


def conversation_for(user, conversation_id) -> Conversation | None:
    """A conversation the user takes part in and has not left, or None: never another's (as REST answers)."""
    return Conversation.objects.filter(
        pk=conversation_id, participants__user=user, participants__hidden_at__isnull=True
    ).first()


def messages_of(conversation, *, since=None) -> QuerySet[Message]:
    """The conversation's messages, newest first; `since`: a member added later reads from when they came."""
    messages = Message.objects.filter(conversation=conversation)
    if since is not None:
        messages = messages.filter(created_at__gte=since)
    return messages.select_related("sender").order_by("-created_at", "-id")


def search_messages(user, query: str) -> QuerySet[Message]:
    """Full-text search over messages of the user's conversations, best first, with highlights."""
    search_query = SearchQuery(query, config="english", search_type="websearch")
    return (
        Message.objects.filter(
            # One filter() call: the history condition is on the caller's own participation row.
            Q(conversation__participants__history_from__isnull=True)
            | Q(created_at__gte=F("conversation__participants__history_from")),
            conversation__participants__user=user,
            deleted_at__isnull=True,
            search_vector=search_query,
        )
        .annotate(
            rank=SearchRank(F("search_vector"), search_query),
            highlight=SearchHeadline(
                "content",
                search_query,
                config="english",
                start_sel="<mark>",
                stop_sel="</mark>",
                max_words=30,
                min_words=10,
            ),
        )
        .select_related("sender", "conversation")
        .order_by("-rank", "-created_at")
    )
