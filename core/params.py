"""Query parameters that views read by hand, outside a serializer or a filter set."""

from rest_framework.exceptions import ValidationError


def text_param(request, name: str, default: str | None = "") -> str | None:
    """The parameter as sent; a 400 when it holds a NUL character, which PostgreSQL refuses in any text
    (the query would fail with a 500). Serializer fields and filter sets refuse it on their own."""
    value = request.query_params.get(name, default)
    if value is not None and "\x00" in value:
        raise ValidationError({name: ["Null characters are not allowed."]})
    return value


def limit_param(request, default: int = 10, maximum: int = 50) -> int:
    raw = request.query_params.get("limit", str(default))
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise ValidationError({"limit": [f"A whole number from 1 to {maximum}."]})
    return int(raw)
