"""Recording an interview call: start, chunks while it runs, stop, assembly into one file, deletion, retention.

recording → finalizing (stopped by a recruiter, or abandoned: no chunk for KAZI_RECORDING_ABANDON_MINUTES)
→ ready (one WebM file in storage) or failed (nothing usable arrived). Chunks are numbered from 0 by the
recorder; a chunk sent twice (a retry after a lost answer) is stored once. The file is assembled from the
chunks 0..n that arrived without a gap: a gap would corrupt everything after it.
"""

import contextlib
import hashlib
import logging
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from rest_framework.exceptions import UnsupportedMediaType

from accounts.models import User
from core.exceptions import Conflict, PayloadTooLarge
from interviews import recording_files, signals
from interviews.choices import RecordingStatus
from interviews.models import Interview
from interviews.recording_models import Recording, RecordingChunk
from interviews.recording_selectors import can_record
from interviews.windows import join_error

logger = logging.getLogger(__name__)

MAX_SEQUENCE = 1_000_000
# A finalizing recording whose assembly task was lost (a worker died) is assembled again after this long.
FINALIZE_RETRY_AFTER = timedelta(minutes=10)


def _require_recorder(user: User, interview: Interview) -> None:
    if not can_record(user, interview):
        raise PermissionDenied("Only the job's recruiters record interviews and handle their recordings.")


def _lock(recording: Recording) -> Recording:
    return Recording.objects.select_for_update(of=("self",)).select_related("interview__job").get(pk=recording.pk)


@transaction.atomic
def recording_start(*, interview: Interview, actor: User, now: datetime | None = None) -> Recording:
    now = now or timezone.now()
    interview = Interview.objects.select_for_update(of=("self",)).select_related("job").get(pk=interview.pk)
    _require_recorder(actor, interview)
    if not interview.recording_enabled:
        raise ValidationError(
            {"detail": "Recording is not enabled for this interview: the recruiter turns it on when scheduling it."}
        )
    closed = join_error(
        status=interview.status, scheduled_at=interview.scheduled_at, ends_at=interview.ends_at, now=now
    )
    if closed:
        raise ValidationError({"detail": f"Cannot record now: {closed}"})
    running = Recording.objects.filter(interview=interview, status=RecordingStatus.RECORDING).first()
    if running is not None:
        raise Conflict(f"The interview is already being recorded (recording {running.pk}); stop it first.")
    recording = Recording.objects.create(interview=interview, started_by=actor, started_at=now)
    signals.recording_started.send(sender=Recording, recording=recording, actor=actor)
    return recording


def _check_chunk(recording: Recording, *, sequence: int, data: bytes) -> None:
    if not 0 <= sequence <= MAX_SEQUENCE:
        raise ValidationError({"sequence": [f"A chunk's sequence number is between 0 and {MAX_SEQUENCE}."]})
    limit = settings.KAZI_RECORDING_CHUNK_MAX_BYTES
    if len(data) > limit:
        raise PayloadTooLarge(f"The chunk is {len(data)} bytes; a chunk may be at most {limit} bytes.")
    if not data:
        raise ValidationError({"detail": "The chunk is empty."})
    if sequence == 0 and not recording_files.could_start_webm(data):
        raise UnsupportedMediaType("application/octet-stream", "A recording must start with a WebM header.")
    if sequence > 0 and recording_files.starts_new_stream(data):
        raise UnsupportedMediaType(
            "video/webm", "This chunk starts a new WebM stream; a new recorder needs a new recording."
        )
    total = settings.KAZI_RECORDING_MAX_BYTES
    if recording.received_bytes + len(data) > total:
        raise PayloadTooLarge(f"The recording would pass its limit of {total} bytes; stop it and start another.")


@transaction.atomic
def recording_add_chunk(
    *, recording: Recording, actor: User, sequence: int, data: bytes, now: datetime | None = None
) -> tuple[RecordingChunk, bool]:
    """Store one chunk: (the chunk, True) when new, (the stored one, False) when the same bytes came before."""
    recording = _lock(recording)
    _require_recorder(actor, recording.interview)
    digest = hashlib.sha256(data).hexdigest()
    existing = RecordingChunk.objects.filter(recording=recording, sequence=sequence).first()
    if existing is not None:
        if existing.sha256 != digest:
            raise Conflict(f"Chunk {sequence} of this recording was already stored with other content.")
        return existing, False
    if recording.status != RecordingStatus.RECORDING:
        raise Conflict("This recording was stopped: it takes no more chunks.")
    _check_chunk(recording, sequence=sequence, data=data)
    stored_name = default_storage.save(f"recordings/parts/{recording.pk}/{sequence:07d}.part", ContentFile(data))
    try:
        chunk = RecordingChunk.objects.create(
            recording=recording, sequence=sequence, size=len(data), sha256=digest, stored_name=stored_name
        )
        recording.chunk_count += 1
        recording.received_bytes += len(data)
        recording.last_chunk_at = now or timezone.now()
        recording.save(update_fields=["chunk_count", "received_bytes", "last_chunk_at"])
    except DatabaseError:
        # The row is not there: neither may its file be.
        default_storage.delete(stored_name)
        raise
    return chunk, True


def _close(recording: Recording, *, actor: User | None, now: datetime, abandoned: bool) -> Recording:
    recording.status = RecordingStatus.FINALIZING
    recording.stopped_at = recording.last_chunk_at if abandoned and recording.last_chunk_at else now
    recording.abandoned = abandoned
    recording.save(update_fields=["status", "stopped_at", "abandoned"])
    # Its receivers tell the room and queue the assembly (interviews/handlers.py) after the commit.
    signals.recording_stopped.send(sender=Recording, recording=recording, actor=actor)
    return recording


@transaction.atomic
def recording_stop(*, recording: Recording, actor: User, now: datetime | None = None) -> Recording:
    """Stop taking chunks and assemble the file (in the worker). Stopping a stopped recording changes nothing."""
    recording = _lock(recording)
    _require_recorder(actor, recording.interview)
    if recording.status != RecordingStatus.RECORDING:
        return recording
    return _close(recording, actor=actor, now=now or timezone.now(), abandoned=False)


def recordings_close_abandoned(*, now: datetime | None = None) -> int:
    """Close recordings whose recorder went away (tab closed, browser crashed): no chunk for
    KAZI_RECORDING_ABANDON_MINUTES. What was uploaded becomes the file."""
    now = now or timezone.now()
    quiet_since = now - timedelta(minutes=settings.KAZI_RECORDING_ABANDON_MINUTES)
    closed = 0
    while True:
        with transaction.atomic():
            recording = (
                Recording.objects.select_for_update(skip_locked=True)
                .annotate(last_sign=Coalesce("last_chunk_at", "started_at"))
                .filter(status=RecordingStatus.RECORDING, last_sign__lt=quiet_since)
                .order_by("started_at", "pk")
                .first()
            )
            if recording is None:
                break
            _close(recording, actor=None, now=now, abandoned=True)
            closed += 1
    return closed


def recordings_stuck_finalizing(*, now: datetime | None = None) -> list[int]:
    """Stopped recordings whose assembly never ran (its task was lost): ids to assemble again."""
    since = (now or timezone.now()) - FINALIZE_RETRY_AFTER
    stuck = Recording.objects.filter(status=RecordingStatus.FINALIZING, stopped_at__lt=since)
    return list(stuck.order_by("pk").values_list("pk", flat=True))


def _contiguous_chunks(recording: Recording) -> list[RecordingChunk]:
    chunks = list(RecordingChunk.objects.filter(recording=recording).order_by("sequence"))
    usable = []
    for expected, chunk in enumerate(chunks):
        if chunk.sequence != expected:
            logger.warning(
                "recording %s: chunk %s missing, %s later chunk(s) left out",
                recording.pk,
                expected,
                len(chunks) - expected,
            )
            break
        usable.append(chunk)
    return usable


def _assemble(recording: Recording, chunks: list[RecordingChunk], workdir: Path) -> Path:
    joined = workdir / "joined.webm"
    recording_files.concatenate((default_storage.open(chunk.stored_name, "rb") for chunk in chunks), joined)
    remuxed = workdir / "remuxed.webm"
    return remuxed if recording_files.remux(joined, remuxed) else joined


def _store_file(recording: Recording, path: Path) -> None:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    with path.open("rb") as handle:
        name = f"interview-{recording.interview_id}-recording-{recording.pk}.webm"
        recording.file.save(name, File(handle), save=False)
    recording.size = path.stat().st_size
    recording.sha256 = digest.hexdigest()
    recording.duration_seconds = recording_files.probe_duration(path)


def _assemble_into(recording: Recording, chunks: list[RecordingChunk]) -> None:
    with tempfile.TemporaryDirectory(prefix="kazi-recording-") as workdir:
        assembled = _assemble(recording, chunks, Path(workdir))
        if not recording_files.is_webm_start(recording_files.head_of(assembled)):
            recording.status, recording.error = RecordingStatus.FAILED, "The upload is not a WebM recording."
            return
        _store_file(recording, assembled)
    recording.status = RecordingStatus.READY


def recording_finalize(*, recording_id: int, now: datetime | None = None) -> Recording | None:
    """Assemble a stopped recording's chunks into its file; safe to run twice (a ready one is left alone)."""
    with transaction.atomic():
        recording = (
            Recording.objects.select_for_update(skip_locked=True)
            .filter(pk=recording_id, status=RecordingStatus.FINALIZING)
            .first()
        )
        if recording is None:
            return None
        chunks = _contiguous_chunks(recording)
        if not chunks:
            recording.status, recording.error = RecordingStatus.FAILED, "Nothing was uploaded."
        else:
            _assemble_into(recording, chunks)
        recording.finalized_at = now or timezone.now()
        recording.save()
        # Their files go after the commit (interviews/handlers.py), once the assembled file surely replaces them.
        RecordingChunk.objects.filter(recording=recording).delete()
        parts = f"recordings/parts/{recording.pk}"
        transaction.on_commit(lambda: _remove_empty_folder(parts))
    return recording


def _remove_empty_folder(name: str) -> None:
    """A file-system storage keeps the emptied folder of the parts; other storages have no folders."""
    with contextlib.suppress(NotImplementedError, OSError):
        Path(default_storage.path(name)).rmdir()


@transaction.atomic
def recording_delete(*, recording: Recording, actor: User) -> None:
    recording = _lock(recording)
    _require_recorder(actor, recording.interview)
    if recording.status == RecordingStatus.RECORDING:
        raise Conflict("The recording is still running: stop it before deleting it.")
    recording.delete()  # the files follow after the commit (interviews/handlers.py)


def recordings_delete_expired(*, now: datetime | None = None) -> int:
    """Delete recordings older than KAZI_RECORDING_RETENTION_DAYS (their files too); running ones are kept."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.KAZI_RECORDING_RETENTION_DAYS)
    with transaction.atomic():
        expired = Recording.objects.select_for_update(skip_locked=True).filter(
            Q(started_at__lt=cutoff) & ~Q(status=RecordingStatus.RECORDING)
        )
        ids = list(expired.values_list("pk", flat=True))
        # Row by row through the collector, so that each file follows its row (interviews/handlers.py).
        Recording.objects.filter(pk__in=ids).delete()
    return len(ids)
