"""Recognise uploaded documents by their content, never by their name (pure)."""

import io
import zipfile
from dataclasses import dataclass

import olefile

PDF_MIME = "application/pdf"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOC_MIME = "application/msword"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class DetectedType:
    extension: str
    mime: str


def detect_document_type(stream) -> DetectedType | None:
    """PDF, DOCX or DOC judged from the bytes of a seekable binary stream; None for anything else."""
    stream.seek(0)
    head = stream.read(1024)
    stream.seek(0)
    try:
        # Readers tolerate a little leading whitespace, not arbitrary text before the header.
        if head.lstrip(b"\x00\t\n\r\f ").startswith(b"%PDF-"):
            return DetectedType("pdf", PDF_MIME)
        if head.startswith(b"PK\x03\x04") and _is_docx(stream):
            return DetectedType("docx", DOCX_MIME)
        if head.startswith(_OLE_MAGIC) and _is_word97(stream):
            return DetectedType("doc", DOC_MIME)
        return None
    finally:
        stream.seek(0)


def _is_docx(stream) -> bool:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except Exception:  # a hostile archive fails in many ways (BadZipFile, NotImplementedError, ...): not a DOCX
        return False
    return "word/document.xml" in names and "[Content_Types].xml" in names


def _is_word97(stream) -> bool:
    # OLE2 also holds .xls and .msg files; a Word document has a WordDocument stream.
    try:
        ole = olefile.OleFileIO(io.BytesIO(stream.read()))
    except Exception:  # any file olefile cannot parse is not a Word document
        return False
    try:
        return ole.exists("WordDocument")
    finally:
        ole.close()
