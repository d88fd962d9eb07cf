from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.params import text_param
from notifications import selectors, services
from notifications.api.serializers import (
    NotificationSerializer,
    PreferenceSerializer,
    SocketStatusSerializer,
    UnreadCountSerializer,
)
from notifications.models import Notification
from notifications.status import socket_status


@extend_schema(
    parameters=[
        OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread (true) or only read (false)."),
        OpenApiParameter("type", OpenApiTypes.STR, description="Event `type`, or `notification_type` of generic ones."),
        OpenApiParameter(
            "exclude_type",
            OpenApiTypes.STR,
            description="Leave out these event types (comma-separated); the bell leaves out `job_posted`.",
        ),
    ]
)
class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The caller's own notifications (the stored WebSocket events), newest first."""

    serializer_class = NotificationSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Notification.objects.none()
        events = selectors.notifications_for(self.request.user).select_related("content_type")
        if self.action != "list":
            return events
        unread = self.request.query_params.get("unread")
        if unread is not None:
            if unread.lower() not in ("true", "false", "1", "0"):
                raise ValidationError({"unread": ["Use true or false."]})
            events = events.filter(read=unread.lower() in ("false", "0"))
        kind = text_param(self.request, "type", None)
        if kind:
            events = events.filter(Q(event_type=kind) | Q(event_type="notification", notification_type=kind))
        excluded = [part.strip() for part in (text_param(self.request, "exclude_type", None) or "").split(",")]
        if any(excluded):
            events = events.exclude(event_type__in=[part for part in excluded if part])
        return events

    def perform_destroy(self, instance):
        services.notification_delete(user=self.request.user, notification=instance)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        services.notification_mark_read(user=request.user, notification=notification)
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=notification.pk)).data)

    @extend_schema(request=None, responses={200: UnreadCountSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        marked = services.notification_mark_all_read(user=request.user)
        return Response({"marked": marked, "count": 0})

    @extend_schema(responses={200: UnreadCountSerializer})
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"count": selectors.unread_count(request.user)})

    def get_object(self):
        # Routes without a pk have no object to look up, but the one with PUT (preferences) has the caller's
        # own row. DRF's OPTIONS metadata asks for the object of a PUT route: a lookup by pk failed there (a 500).
        if not self.detail:
            return services.preferences_of(self.request.user)
        return super().get_object()

    @extend_schema(methods=["GET"], responses={200: PreferenceSerializer})
    @extend_schema(methods=["PUT"], request=PreferenceSerializer, responses={200: PreferenceSerializer})
    @action(detail=False, methods=["get", "put"], serializer_class=PreferenceSerializer)
    def preferences(self, request):
        if request.method == "GET":
            return Response(PreferenceSerializer(services.preferences_of(request.user)).data)
        serializer = PreferenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        preference = services.preferences_update(user=request.user, **serializer.validated_data)
        return Response(PreferenceSerializer(preference).data, status=status.HTTP_200_OK)


class SocketStatusView(APIView):
    """Live sockets across every web process (admins)."""

    permission_classes = [IsAdminUser]

    @extend_schema(responses={200: SocketStatusSerializer})
    def get(self, request):
        return Response(socket_status())
