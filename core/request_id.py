"""A request id on every request: taken from X-Request-ID (a proxy's) or made, echoed back, and in every log line."""

import contextvars
import logging
import re
import uuid

_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get("X-Request-ID", "")
        # A client's id is kept only when it is harmless in a log line and a header.
        request_id = offered if _ACCEPTABLE.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        # Not reset on the way out: Django logs a request's 4xx/5xx after the middleware has returned.
        # The next request on this thread or task sets its own first.
        _current.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True
