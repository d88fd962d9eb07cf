"""Every WebSocket route of the project, gathered from the apps."""

from notifications.routing import websocket_urlpatterns as notification_routes

websocket_urlpatterns = [*notification_routes]
