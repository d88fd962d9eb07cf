"""Serving a stored file with HTTP byte ranges (RFC 9110 §14): a <video> element seeks by asking for ranges,
which Django's FileResponse does not answer."""

import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_BLOCK = 256 * 1024


def _parse(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) of a single satisfiable range, None for none or an unsatisfiable one; many ranges count
    as none (the whole file is a valid answer to them)."""
    match = _RANGE.match(header.strip())
    if not match or size == 0:
        return None
    start, end = match.groups()
    if start == "" and end == "":
        return None
    if start == "":
        first = max(size - int(end), 0)
        return first, size - 1
    first = int(start)
    last = min(int(end), size - 1) if end else size - 1
    return (first, last) if first <= last else None


def _slice(handle, first: int, last: int):
    with handle:
        handle.seek(first)
        remaining = last - first + 1
        while remaining > 0:
            block = handle.read(min(_BLOCK, remaining))
            if not block:
                return
            remaining -= len(block)
            yield block


def ranged_file_response(request, stored_file, *, content_type: str, filename: str, as_attachment: bool):
    size = stored_file.size
    header = request.headers.get("Range", "")
    wanted = _parse(header, size) if header else None
    if header and wanted is None and _RANGE.match(header.strip()):
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    handle = stored_file.open("rb")
    if wanted is None:
        response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    else:
        first, last = wanted
        response = StreamingHttpResponse(_slice(handle, first, last), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    return response
