"""Every WebSocket route of the project, gathered from the apps."""

from interviews.routing import websocket_urlpatterns as interview_routes
from notifications.routing import websocket_urlpatterns as notification_routes

websocket_urlpatterns = [*notification_routes, *interview_routes]
