"""The WebSocket frames of stored events, built once and sent as they are (pure)."""

import json
from datetime import UTC, datetime

GENERIC = "notification"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def now_iso() -> str:
    return iso(datetime.now(UTC))


def event_frame(
    *,
    event_id: int,
    event_type: str,
    created_at: datetime,
    message: str,
    data: dict,
    title: str = "",
    notification_type: str = "",
    priority: str = "normal",
) -> dict:
    """The contract's message for a stored event: `type`, `id`, its own fields, `timestamp`."""
    frame: dict = {"type": event_type, "id": event_id}
    if event_type == GENERIC:
        frame.update(notification_type=notification_type, title=title, message=message, priority=priority, data=data)
    else:
        if message:
            frame["message"] = message
        # An event's own fields win: `new_message` carries a message object, not text.
        frame.update(data)
    frame["timestamp"] = iso(created_at)
    return frame


def frame_of(notification) -> dict:
    return event_frame(
        event_id=notification.pk,
        event_type=notification.event_type,
        created_at=notification.created_at,
        message=notification.message,
        data=notification.data,
        title=notification.title,
        notification_type=notification.notification_type,
        priority=notification.priority,
    )


def dumps(frame: dict) -> str:
    return json.dumps(frame, separators=(",", ":"), default=str)
