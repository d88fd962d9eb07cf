"""Query parameters many endpoints share, refused with a clear 400."""

from rest_framework.exceptions import ValidationError


def limit_param(request, default: int = 10, maximum: int = 50) -> int:
    raw = request.query_params.get("limit", str(default))
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise ValidationError({"limit": [f"A whole number from 1 to {maximum}."]})
    return int(raw)
