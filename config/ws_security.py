from channels.security.websocket import OriginValidator
from django.conf import settings


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
