"""Typed readers for environment variables that fail loudly on bad values."""

import os
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# EMAIL_URL schemes: plain SMTP, STARTTLS after connecting, TLS from the first byte; and the default port of each.
_EMAIL_SCHEMES = {"smtp": (25, False, False), "smtp+tls": (587, True, False), "smtp+ssl": (465, False, True)}


def email_url(name: str, raw: str) -> dict:
    """`smtp://user:pass@host:port` (or `smtp+tls://`, `smtp+ssl://`) as Django's EMAIL_* settings.

    User and password are percent-decoded, so a password may hold `@` or `:` written as `%40`, `%3A`."""
    parts = urlsplit(raw)
    if parts.scheme not in _EMAIL_SCHEMES:
        raise ImproperlyConfigured(
            f"{name} must start with smtp://, smtp+tls:// (STARTTLS) or smtp+ssl:// (implicit TLS), got {raw!r}"
        )
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a bad port: {raw!r}") from None
    if not parts.hostname:
        raise ImproperlyConfigured(f"{name} names no host: {raw!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ImproperlyConfigured(f"{name} must be smtp://user:pass@host:port with nothing after the port: {raw!r}")
    default_port, use_tls, use_ssl = _EMAIL_SCHEMES[parts.scheme]
    return {
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or default_port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }
