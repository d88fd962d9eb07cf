"""Writes of the analytics app: recording an event is one INSERT, cheap enough for any request path."""

import json
import re
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from analytics.models import JOB_EVENT_TYPES, Event, EventSource, EventType

MAX_METADATA_BYTES = 2048
MAX_METADATA_DEPTH = 32
MAX_QUERY_LENGTH = 100
_WHITESPACE = re.compile(r"\s+")


def search_term(query: str) -> str:
    """The form a search query is counted under: lower case, single spaces, at most 100 characters."""
    return _WHITESPACE.sub(" ", query).strip().lower()[:MAX_QUERY_LENGTH]


def _unstorable(metadata: dict) -> str | None:
    """Why jsonb would refuse the metadata, or None: it takes no NUL character, and the JSON encoder before it
    recurses once per level (2048 bytes nest a thousand deep). Walked without recursion for the same reason."""
    pending = [(metadata, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str) and "\x00" in value:
            return "Null characters are not allowed."
        if isinstance(value, (dict, list)):
            if depth > MAX_METADATA_DEPTH:
                return f"Must be nested at most {MAX_METADATA_DEPTH} levels deep."
            if isinstance(value, dict):
                pending.extend((key, depth) for key in value)
            pending.extend((item, depth + 1) for item in (value.values() if isinstance(value, dict) else value))
    return None


def clean_metadata(event_type: str, metadata: Any) -> dict:
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise ValidationError({"metadata": ["Must be a JSON object."]})
    problem = _unstorable(metadata)
    if problem:
        raise ValidationError({"metadata": [problem]})
    if len(json.dumps(metadata, default=str)) > MAX_METADATA_BYTES:
        raise ValidationError({"metadata": [f"Must be at most {MAX_METADATA_BYTES} bytes as JSON."]})
    if event_type == EventType.JOB_SEARCH and "query" in metadata:
        query = metadata["query"]
        if not isinstance(query, str):
            raise ValidationError({"metadata": ["`query` of a job_search must be a string."]})
        metadata = {**metadata, "query": search_term(query)}
    return metadata


def event_record(
    *,
    event_type: str,
    user=None,
    job_id: int | None = None,
    metadata: dict | None = None,
    source: str = EventSource.SERVICE,
    created_at: datetime | None = None,
) -> Event:
    """Store one analytics event. Services call it inside their own transaction, so the event exists exactly
    when the change it describes was committed. `job_id` is trusted: callers pass a job they already hold
    (the API checks the job is visible to the caller first)."""
    if event_type not in EventType.values:
        raise ValidationError({"event_type": [f"Unknown event type {event_type!r}; one of {', '.join(EventType)}."]})
    if event_type in JOB_EVENT_TYPES and job_id is None:
        raise ValidationError({"job_id": [f"A {event_type} event needs the job_id of its job."]})
    return Event.objects.create(
        event_type=event_type,
        source=source,
        user=user if user is not None and user.is_authenticated else None,
        job_id=job_id,
        metadata=clean_metadata(event_type, metadata),
        created_at=created_at or timezone.now(),
    )
