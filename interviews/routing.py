from django.urls import path

from interviews.consumers import InterviewSignalingConsumer

websocket_urlpatterns = [
    path("ws/interviews/<int:interview_id>/", InterviewSignalingConsumer.as_asgi()),
]
