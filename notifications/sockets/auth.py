"""Who is on a socket: a JWT in `?token=`, else the Django session (close codes per the contract)."""

import functools
from urllib.parse import parse_qs

import jwt
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from rest_framework_simplejwt.exceptions import ExpiredTokenError, TokenError
from rest_framework_simplejwt.tokens import AccessToken

from notifications.sockets.close_codes import EXPIRED_TOKEN, MALFORMED_TOKEN, NO_CREDENTIALS


def query_params(scope) -> dict[str, str]:
    # Blank values kept: `notification_types=` is an empty filter, not an absent one.
    parsed = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    return {key: values[-1] for key, values in parsed.items()}


@functools.partial(database_sync_to_async, thread_sensitive=False)
def _active_user(user_id):
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


async def authenticate(scope):
    """The user, or the close code to answer with."""
    token = query_params(scope).get("token")
    if token:
        try:
            jwt.get_unverified_header(token)
        except jwt.InvalidTokenError:
            return MALFORMED_TOKEN
        try:
            access = AccessToken(token)
        except ExpiredTokenError:
            return EXPIRED_TOKEN
        except TokenError:
            return NO_CREDENTIALS
        user = await _active_user(access.get("user_id"))
        return user or NO_CREDENTIALS
    user = scope.get("user")
    if user is not None and user.is_authenticated and user.is_active:
        return user
    return NO_CREDENTIALS
