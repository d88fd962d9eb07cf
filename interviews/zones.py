"""IANA time zones: stored times are UTC, people read them in their own zone (pure)."""

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_error(name: str) -> str | None:
    """None when `name` is a known IANA zone (`Africa/Nairobi`), else why not."""
    if not name or len(name) > 64:
        return "Give an IANA time zone such as Africa/Nairobi."
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"Unknown time zone {name!r}: give an IANA name such as Africa/Nairobi."
    return None


def in_zone(moment: datetime, name: str) -> str:
    """ISO 8601 with the zone's offset: `2026-01-01T12:00:00+03:00`."""
    return moment.astimezone(ZoneInfo(name)).isoformat()
