"""POST /api/chat/conversations/{id}/call/ (CONTRACT v2): a call from a direct conversation."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from calls import services


class CallStartedSerializer(serializers.Serializer):
    interview_id = serializers.IntegerField()
    room_url = serializers.CharField(help_text="The room page of the call: /interview/{interview_id}/")


class ConversationCallView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            201: CallStartedSerializer,
            200: OpenApiResponse(CallStartedSerializer, description="A call of this conversation is already on"),
            400: OpenApiResponse(description="A group conversation"),
            404: OpenApiResponse(description="No such conversation of yours"),
        },
        description="Ring the other participant of a direct conversation (`call_incoming` on their socket). The "
        "call uses the interview room (join, leave, end, decline under /api/interview/{interview_id}/); it leaves "
        '"missed call" or "call, N min" in the conversation.',
        tags=["chat"],
    )
    def post(self, request, pk):
        call, created = services.call_from_conversation(caller=request.user, conversation_id=pk)
        body = {"interview_id": call.pk, "room_url": services.room_url(call)}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
