"""Plain text out of a stored resume file (PDF, DOCX). Pure: bytes in, text out, no ORM."""

import io
import logging
import zipfile

from docx import Document as DocxDocument
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from marketplace.file_types import detect_document_type

# pypdf logs every malformed object it recovers from; a user's odd PDF is not our warning.
logging.getLogger("pypdf").setLevel(logging.ERROR)

MAX_PDF_PAGES = 50


class TextNotExtracted(Exception):
    """The file is kept, but no text could be taken out of it; the message says why, for the user."""


def extract_text(data: bytes) -> str:
    detected = detect_document_type(io.BytesIO(data))
    if detected is None:
        raise TextNotExtracted("The file is not a PDF, DOC or DOCX document.")
    if detected.extension == "pdf":
        text = _pdf_text(data)
    elif detected.extension == "docx":
        text = _docx_text(data)
    else:
        raise TextNotExtracted(
            "Text not extracted: Word 97–2003 (.doc) files are stored but not read. "
            "Save the resume as DOCX or PDF to fill your profile from it."
        )
    text = _tidy(text)
    if not text.strip():
        raise TextNotExtracted(
            "No text found: the document has no text layer (a scanned image?). "
            "Upload a PDF with selectable text or a DOCX."
        )
    return text


def _pdf_text(data: bytes) -> str:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise TextNotExtracted("The PDF is password-protected; upload it without a password.")
        # A resume is a few pages; a 1,000-page PDF would hold the worker for minutes for nothing.
        return "\n".join((page.extract_text() or "") for page in reader.pages[:MAX_PDF_PAGES])
    except TextNotExtracted:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise TextNotExtracted(
            f"The PDF could not be read ({exc.__class__.__name__}): the file may be damaged."
        ) from None


def _docx_text(data: bytes) -> str:
    try:
        document = DocxDocument(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TextNotExtracted(
            f"The DOCX could not be read ({exc.__class__.__name__}): the file may be damaged."
        ) from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    # Many resume templates lay out their sections in tables.
    for table in document.tables:
        for row in table.rows:
            cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells if cell.text.strip()))
            lines.extend(cells)
    return "\n".join(lines)


def _tidy(text: str) -> str:
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(lines).strip()
