from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.models import User
from chat import selectors, services
from chat.api import serializers as s
from core.params import text_param
from core.parsers import JSONParser
from marketplace.models import Job
from notifications.presence import online_user_ids


class MessagePagination(CursorPagination):
    ordering = "-created_at"
    page_size = 30
    page_size_query_param = "page_size"
    max_page_size = 100


class ConversationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The caller's conversations. DELETE leaves (hides) one for the caller only."""

    serializer_class = s.ConversationSerializer
    filter_backends: list = []
    lookup_value_regex = "[0-9a-f-]{36}"

    def get_queryset(self):
        archived = self.request.query_params.get("archived")
        if self.action == "list":
            if archived not in (None, "true", "false"):
                raise ValidationError({"archived": ["Use true or false."]})
            return selectors.conversations_for(
                self.request.user,
                archived=archived == "true",
                search=text_param(self.request, "search").strip(),
            )
        return selectors.conversations_for(self.request.user, archived=None)

    def get_throttles(self):
        if self.action == "messages" and self.request.method == "POST":
            # ScopedRateThrottle (a default throttle) applies the `chat` rate to sending only.
            self.throttle_scope = "chat"
        return super().get_throttles()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "online": getattr(self, "_online", set())}

    def _with_presence(self, conversations) -> None:
        ids = sorted({p.user_id for c in conversations for p in c.participants.all()})
        self._online = online_user_ids(ids)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        self._with_presence(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        conversation = self.get_object()
        self._with_presence([conversation])
        return Response(self.get_serializer(conversation).data)

    @extend_schema(
        parameters=[OpenApiParameter("search", OpenApiTypes.STR), OpenApiParameter("archived", OpenApiTypes.BOOL)],
        request=s.ConversationCreateSerializer,
        responses={201: s.ConversationSerializer, 200: s.ConversationSerializer},
    )
    def create(self, request):
        data = s.ConversationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        job = None
        if values.get("related_job"):
            job = Job.objects.filter(pk=values["related_job"]).first()
            if job is None:
                raise ValidationError({"related_job": ["No such job."]})
        if "participant_id" in values:
            other = User.objects.filter(pk=values["participant_id"], is_active=True).first()
            if other is None:
                raise ValidationError({"participant_id": ["No such user."]})
            conversation, created = services.conversation_start_direct(
                initiator=request.user, other=other, title=values["title"], related_job=job
            )
        else:
            others = list(User.objects.filter(pk__in=values["participant_ids"], is_active=True))
            missing = set(values["participant_ids"]) - {user.pk for user in others}
            if missing:
                raise ValidationError({"participant_ids": [f"No such user: {sorted(missing)}."]})
            conversation = services.conversation_start_group(
                initiator=request.user, others=others, title=values["title"], related_job=job
            )
            created = True
        return self._conversation_response(conversation, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def perform_destroy(self, instance):
        services.conversation_leave(conversation=instance, user=self.request.user)

    @extend_schema(methods=["GET"], responses={200: s.MessageSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request={"application/json": s.MessageCreateSerializer, "multipart/form-data": s.MessageCreateSerializer},
        responses={
            201: s.MessageSerializer,
            413: OpenApiResponse(description="Attachment too large"),
            429: OpenApiResponse(description="Sending too fast"),
        },
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[JSONParser, MultiPartParser, FormParser],
    )
    def messages(self, request, pk=None):
        conversation = self.get_object()
        if request.method == "GET":
            paginator = MessagePagination()
            page = paginator.paginate_queryset(
                selectors.messages_of(conversation, since=conversation.history_from), request, view=self
            )
            return paginator.get_paginated_response(s.MessageSerializer(page, many=True).data)
        data = s.MessageCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            message = services.message_send(conversation=conversation, sender=request.user, **data.validated_data)
        except services.SendRateExceeded as exc:
            raise Throttled(wait=exc.retry_after, detail=str(exc)) from None
        return Response(s.MessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["DELETE"], request=None, responses={204: None})
    @extend_schema(
        methods=["PATCH"],
        request=s.MessageEditSerializer,
        responses={200: s.MessageSerializer, 400: OpenApiResponse(description="Past the edit window, or no text")},
    )
    @action(detail=True, methods=["patch", "delete"], url_path=r"messages/(?P<message_id>[0-9a-f-]{36})")
    def message(self, request, pk=None, message_id=None):
        """PATCH: the sender edits the content within KAZI_CHAT_EDIT_MINUTES. DELETE: the sender deletes it."""
        message = self._message(message_id)
        if request.method == "DELETE":
            services.message_delete(message=message, user=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = s.MessageEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.message_edit(message=message, user=request.user, content=data.validated_data["content"])
        return Response(s.MessageSerializer(message).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="The file")})
    @action(detail=True, methods=["get"], url_path=r"messages/(?P<message_id>[0-9a-f-]{36})/attachment")
    def attachment(self, request, pk=None, message_id=None):
        message = self._message(message_id)
        if not message.attachment:
            raise Http404
        return FileResponse(
            message.attachment.open("rb"),
            as_attachment=True,
            filename=message.attachment_name,
            content_type=message.attachment_content_type,
        )

    def _message(self, message_id):
        conversation = self.get_object()
        message = selectors.messages_of(conversation, since=conversation.history_from).filter(pk=message_id).first()
        if message is None:
            raise Http404
        return message

    @extend_schema(request=None, responses={200: OpenApiResponse(description="{up_to}")})
    @action(detail=True, methods=["post"], url_path="mark-as-read")
    def mark_as_read(self, request, pk=None):
        up_to = services.conversation_mark_read(conversation=self.get_object(), user=request.user)
        return Response({"up_to": up_to})

    @extend_schema(request=s.ArchiveSerializer, responses={200: s.ArchiveSerializer})
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        data = s.ArchiveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.conversation_archive(
            conversation=self.get_object(), user=request.user, archived=data.validated_data["archived"]
        )
        return Response(data.validated_data)

    @extend_schema(request=s.ParticipantAddSerializer, responses={201: s.ConversationSerializer})
    @action(detail=True, methods=["post"])
    def participants(self, request, pk=None):
        """A group's member adds `user_id`; they read the group from now on."""
        conversation = self.get_object()
        data = s.ParticipantAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = User.objects.filter(pk=data.validated_data["user_id"], is_active=True).first()
        if user is None:
            raise ValidationError({"user_id": ["No such user."]})
        services.participant_add(conversation=conversation, actor=request.user, user=user)
        return self._conversation_response(conversation, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.ConversationSerializer, 204: None})
    @action(detail=True, methods=["delete"], url_path=r"participants/(?P<user_id>[0-9]{1,18})")
    def remove_participant(self, request, pk=None, user_id=None):
        """A member removes another (200 with the group as it is now), or themselves: leaving (204)."""
        conversation = self.get_object()
        user = User.objects.filter(pk=int(user_id)).first()
        if user is None:
            raise Http404
        services.participant_remove(conversation=conversation, actor=request.user, user=user)
        if user.pk == request.user.pk:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._conversation_response(conversation, status.HTTP_200_OK)

    @extend_schema(request=s.MuteSerializer, responses={200: s.MuteSerializer})
    @action(detail=True, methods=["post"])
    def mute(self, request, pk=None):
        data = s.MuteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.conversation_mute(
            conversation=self.get_object(), user=request.user, muted=data.validated_data["muted"]
        )
        return Response(data.validated_data)

    def _conversation_response(self, conversation, code):
        conversation = selectors.conversations_for(self.request.user, archived=None).get(pk=conversation.pk)
        self._with_presence([conversation])
        return Response(self.get_serializer(conversation).data, status=code)


class MessageSearchView(ListAPIView):
    """Full-text search over the caller's own conversations, best match first, with <mark> highlights."""

    serializer_class = s.SearchResultSerializer
    filter_backends: list = []

    @extend_schema(parameters=[OpenApiParameter("q", OpenApiTypes.STR, required=True)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = text_param(self.request, "q").strip()
        if not query:
            raise ValidationError({"q": ["Give something to search for."]})
        if len(query) > 200:
            raise ValidationError({"q": ["At most 200 characters."]})
        return selectors.search_messages(self.request.user, query)
