"""Reading the members of an uploaded ZIP of resumes without trusting it. Pure, no ORM.

A member is refused, with a reason, when its name could escape a folder, it is an
archive itself, it is encrypted, or it expands past the size limit (its header can lie,
so the limit is enforced while reading too). Memory holds at most one member at a time.
"""

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

NESTED_ARCHIVE_SUFFIXES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".jar", ".cab", ".iso")
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Member:
    name: str
    data: bytes | None = None
    refusal: str = ""


def unsafe_name_reason(name: str) -> str:
    if not name or "\x00" in name:
        return "The name is empty or holds a NUL byte."
    posix, windows = PurePosixPath(name.replace("\\", "/")), PureWindowsPath(name)
    if posix.is_absolute() or windows.drive or windows.root:
        return "Absolute paths are refused."
    if ".." in posix.parts:
        return "Names that climb out of the archive ('..') are refused."
    return ""


def zip_members(stream, *, max_member_bytes: int, max_members: int) -> Iterator[Member]:
    """Each file in the archive, with its bytes or the reason it was refused. Raises BadZipFile on a broken archive."""
    with zipfile.ZipFile(stream) as archive:
        files = [info for info in archive.infolist() if not info.is_dir()]
        for index, info in enumerate(files):
            name = info.filename
            if index >= max_members:
                yield Member(name, refusal=f"The archive holds more than {max_members} files; the rest were not read.")
                continue
            refusal = _refusal_before_reading(info, max_member_bytes)
            if refusal:
                yield Member(name, refusal=refusal)
                continue
            try:
                data = _read_bounded(archive, info, max_member_bytes)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
                yield Member(
                    name, refusal=f"The member could not be read ({exc.__class__.__name__}): it may be damaged."
                )
                continue
            if data is None:
                yield Member(name, refusal=f"It expands beyond the {max_member_bytes}-byte limit of one file.")
                continue
            yield Member(name, data=data)


def _refusal_before_reading(info: zipfile.ZipInfo, max_member_bytes: int) -> str:
    reason = unsafe_name_reason(info.filename)
    if reason:
        return reason
    if info.filename.lower().endswith(NESTED_ARCHIVE_SUFFIXES):
        return "Archives inside the archive are not opened."
    if info.flag_bits & 0x1:
        return "The member is encrypted."
    if info.file_size > max_member_bytes:
        return f"It expands to {info.file_size} bytes; the limit of one file is {max_member_bytes} bytes."
    return ""


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes | None:
    """The member's bytes, or None past `limit` (the declared size is the sender's word, not a fact)."""
    chunks, size = [], 0
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
    return b"".join(chunks)
