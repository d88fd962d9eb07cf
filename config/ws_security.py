from channels.auth import AuthMiddlewareStack
from channels.security.websocket import OriginValidator
from django.conf import settings

from notifications.sockets import auth


class BrowserOriginValidator(OriginValidator):
    """Refuse sockets opened by pages of other sites; let non-browser clients in.

    Cross-site WebSocket hijacking rides on a browser's session cookie, and a
    browser always sends Origin. Scripts and mobile apps send none and
    authenticate with a token, so a missing Origin is not a reason to refuse.
    """

    def valid_origin(self, parsed_origin):
        return parsed_origin is None or super().valid_origin(parsed_origin)


def origin_checked(application):
    return BrowserOriginValidator(application, settings.ALLOWED_HOSTS)


class TokenOrSession:
    """Sockets that bring a JWT (`?token=`) skip the session middleware: its user lookup is a hop to Channels'
    one shared sync thread for every connect, which a reconnect storm of thousands queues behind. Sockets
    without a token (the pages, on the session cookie) go through it as before."""

    def __init__(self, inner):
        self.inner = inner
        self.with_session = AuthMiddlewareStack(inner)

    async def __call__(self, scope, receive, send):
        if auth.query_params(scope).get("token"):
            return await self.inner(scope, receive, send)
        return await self.with_session(scope, receive, send)
