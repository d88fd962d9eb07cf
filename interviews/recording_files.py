"""The bytes of a recording (no database): what a WebM upload starts with, and the file made from its chunks.

A MediaRecorder writes one WebM stream; its timesliced pieces concatenate back into that stream, but the
browser never goes back to write the duration or the seek index (cues). ffmpeg's stream copy (`-c copy`,
no re-encoding, about disk speed) writes both, so players show the length and can seek. Without ffmpeg
the plain concatenation is kept: it plays, it just cannot seek well.
"""

import json
import logging
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

logger = logging.getLogger(__name__)

# Every EBML document (WebM, Matroska) starts with the EBML header's element id.
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
_HEADER_SCAN = 64
REMUX_TIMEOUT_SECONDS = 600
PROBE_TIMEOUT_SECONDS = 60


def is_webm_start(head: bytes) -> bool:
    """The start of a whole recording: an EBML header whose DocType is `webm`."""
    return head.startswith(EBML_MAGIC) and b"webm" in head[:_HEADER_SCAN]


def could_start_webm(chunk: bytes) -> bool:
    """A first chunk that may begin a WebM stream. MediaRecorder cuts its chunks anywhere, even inside the
    header (a first chunk of one byte, 0x1a, was seen on a loaded machine), so a short one is judged by what
    it has; the assembled file is checked whole (`is_webm_start`)."""
    if len(chunk) < len(EBML_MAGIC):
        return EBML_MAGIC.startswith(chunk)
    return chunk.startswith(EBML_MAGIC) and (len(chunk) < _HEADER_SCAN or b"webm" in chunk[:_HEADER_SCAN])


def head_of(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(_HEADER_SCAN)


def starts_new_stream(head: bytes) -> bool:
    """A later chunk that is a whole new WebM stream (another recorder's start) would corrupt the file."""
    return head.startswith(EBML_MAGIC)


def concatenate(parts: Iterable[BinaryIO], target: Path) -> int:
    written = 0
    with target.open("wb") as out:
        for part in parts:
            with part:
                for block in iter(lambda p=part: p.read(1024 * 1024), b""):
                    out.write(block)
                    written += len(block)
    return written


def remux(source: Path, target: Path) -> bool:
    """Copy the streams into a new WebM with duration and cues; False (and `target` absent) when it cannot."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        logger.warning("ffmpeg is not installed: recording %s kept as uploaded (no seek index)", source.name)
        return False
    command = [ffmpeg, "-v", "error", "-y", "-i", str(source), "-c", "copy", "-f", "webm", str(target)]
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=REMUX_TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.warning("ffmpeg could not remux %s: %s", source.name, exc)
        target.unlink(missing_ok=True)
        return False
    if finished.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        logger.warning("ffmpeg could not remux %s: %s", source.name, finished.stderr[-500:])
        target.unlink(missing_ok=True)
        return False
    return True


def probe_duration(path: Path) -> float | None:
    """Seconds of media by ffprobe, or None when ffprobe is missing or cannot tell."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return None
    command = [ffprobe, "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)]
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=PROBE_TIMEOUT_SECONDS)
        duration = json.loads(finished.stdout or "{}").get("format", {}).get("duration")
        return round(float(duration), 3) if duration not in (None, "N/A") else None
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None
