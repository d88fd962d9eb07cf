"""Who is on a socket: a JWT in `?token=`, else the Django session (close codes per the contract)."""

import functools
import time
from urllib.parse import parse_qs

import jwt
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from rest_framework_simplejwt.exceptions import ExpiredTokenError, TokenError
from rest_framework_simplejwt.tokens import AccessToken

from notifications.sockets import batching
from notifications.sockets.close_codes import EXPIRED_TOKEN, MALFORMED_TOKEN, NO_CREDENTIALS


def query_params(scope) -> dict[str, str]:
    # Blank values kept: `notification_types=` is an empty filter, not an absent one.
    parsed = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    return {key: values[-1] for key, values in parsed.items()}


@functools.partial(database_sync_to_async, thread_sensitive=False)
def _active_users(user_ids: list) -> dict:
    return {user.pk: user for user in get_user_model().objects.filter(pk__in=user_ids, is_active=True)}


# The users of the tokens of every socket connecting at the same time: one query (a reconnect storm is
# thousands of sockets), not one query and one thread hop each.
_active_user = batching.batched(_active_users)


async def authenticate(scope):
    """The user, or the close code to answer with."""
    token = query_params(scope).get("token")
    if token:
        user_id, refusal = _user_id_of(token)
        if refusal:
            return refusal
        user = await _active_user(user_id)
        return user or NO_CREDENTIALS
    user = scope.get("user")
    if user is not None and user.is_authenticated and user.is_active:
        return user
    return NO_CREDENTIALS


def _user_id_of(token: str) -> tuple[int | None, int | None]:
    """(the user id a valid access token names, None), else (None, the close code).

    A token checked before is not decoded again until it expires (a reconnecting browser brings the same one);
    the user is still read on every connect, so a deactivated user is refused at once."""
    known = _checked.get(token)
    if known is not None:
        user_id, expires = known
        return (user_id, None) if time.time() < expires else (None, EXPIRED_TOKEN)
    try:
        jwt.get_unverified_header(token)
    except jwt.InvalidTokenError:
        return None, MALFORMED_TOKEN
    try:
        access = AccessToken(token)
    except ExpiredTokenError:
        return None, EXPIRED_TOKEN
    except TokenError:
        return None, NO_CREDENTIALS
    user_id = _as_key(access.get("user_id"))
    if len(_checked) >= _CHECKED_MAX:
        _checked.pop(next(iter(_checked)))  # the oldest checked
    _checked[token] = (user_id, access.get("exp", 0))
    return user_id, None


# Access tokens already checked, to the user id they name and their expiry (seconds since the epoch).
_checked: dict[str, tuple[int | None, float]] = {}
_CHECKED_MAX = 20_000  # a few MB; more than the sockets of a process that reconnect at once


def _as_key(user_id):
    # The claim is a string or an int depending on who made the token; the users' pk is an int.
    try:
        return int(user_id)
    except (TypeError, ValueError):
        return None
