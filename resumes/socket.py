"""Resume watching over ws/notifications/: `watch_resume`, `unwatch_resume`, and live `resume_progress`.

`register()` (from ResumesConfig.ready()) hands these to the notifications socket, which knows no resumes.
A watcher never sees a resume's progress go back, whichever order its snapshot and the live frames
published around it arrive in.
"""

import json
from dataclasses import dataclass, field

from notifications import groups
from notifications.sockets import frame_handlers
from notifications.sockets.base import db
from resumes.selectors import resume_progress_for

_WATCH = "resumes.watch"


@dataclass
class _Watch:
    """One socket's resumes: those it watches, and the furthest progress it has been sent of each."""

    resume_ids: set[str] = field(default_factory=set)
    progress: dict[str, int] = field(default_factory=dict)


def _progress_is_new(socket, frame: dict) -> bool:
    """Whether a resume_progress frame moves this socket's view of the resume forward (or keeps it)."""
    seen = socket.state(_WATCH, _Watch).progress
    resume_id, progress = frame["resume_id"], frame["data"]["progress"]
    if progress < seen.get(resume_id, -1):
        return False
    seen[resume_id] = progress
    return True


def live_progress(socket, envelope: dict) -> bool:
    return _progress_is_new(socket, json.loads(envelope["f"]))


async def on_watch_resume(socket, message: dict) -> None:
    resume_id = message.get("resume_id")
    if not isinstance(resume_id, str) or not resume_id:
        await socket.error("Missing field: resume_id")
        return
    progress = await db(resume_progress_for)(socket.user, resume_id)
    if progress is None:
        await socket.error("No such resume.")
        return
    await socket.join(groups.resume_group(resume_id))
    socket.state(_WATCH, _Watch).resume_ids.add(resume_id)
    # Read again now that live frames flow: nothing between the two reads is missed. The answer
    # goes through the send queue behind the live frames already there, and the progress filter
    # drops whichever of them is older, so a watcher never sees the bar go back.
    progress = await db(resume_progress_for)(socket.user, resume_id) or progress
    if progress["data"]["status"] != "uploaded" and _progress_is_new(socket, progress):
        socket.push(progress)


async def on_unwatch_resume(socket, message: dict) -> None:
    resume_id = message.get("resume_id")
    watch = socket.state(_WATCH)
    if not isinstance(resume_id, str) or watch is None or resume_id not in watch.resume_ids:
        await socket.error("You are not watching that resume.")
        return
    await socket.leave(groups.resume_group(resume_id))
    watch.resume_ids.discard(resume_id)


def register() -> None:
    frame_handlers.register("watch_resume", on_watch_resume)
    frame_handlers.register("unwatch_resume", on_unwatch_resume)
    frame_handlers.register_live_filter("resume_progress", live_progress)
