"""Document type detection by content, never by name (pure: no database)."""

import io
import random
import zipfile

import pytest

from marketplace.file_types import DOC_MIME, DOCX_MIME, PDF_MIME, detect_document_type
from tests.marketplace.helpers import docx_bytes, ole_bytes, pdf_bytes

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def detect(content: bytes):
    return detect_document_type(io.BytesIO(content))


def test_a_real_pdf_is_a_pdf():
    detected = detect(pdf_bytes())
    assert (detected.extension, detected.mime) == ("pdf", PDF_MIME)


def test_a_minimal_hand_written_pdf_is_a_pdf():
    assert detect(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").mime == PDF_MIME


def test_a_word_97_compound_file_is_a_doc():
    detected = detect(ole_bytes("WordDocument"))
    assert (detected.extension, detected.mime) == ("doc", DOC_MIME)


def test_an_excel_97_compound_file_is_refused():
    """.xls and .msg files are OLE2 too; only one with a WordDocument stream is a .doc."""
    assert detect(ole_bytes("Workbook")) is None


def test_a_real_docx_is_a_docx():
    detected = detect(docx_bytes())
    assert (detected.extension, detected.mime) == ("docx", DOCX_MIME)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"Just a plain text resume.\nSkills: Python\n",
        b"<html><body>resume</body></html>",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        b"MZ\x90\x00" + b"\x00" * 200,  # a Windows executable
        b"PK\x03\x04 not really a zip",
        OLE_MAGIC + b"\x00" * 600,  # OLE header, but no valid compound file
    ],
    ids=["empty", "text", "html", "png", "exe", "fake-zip", "fake-ole"],
)
def test_other_content_is_not_a_document(content):
    assert detect(content) is None


def test_a_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert detect(buffer.getvalue()) is None


def test_an_xlsx_like_zip_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert detect(buffer.getvalue()) is None


def test_the_stream_is_rewound_for_whoever_saves_it():
    stream = io.BytesIO(docx_bytes())
    stream.read(10)
    detect_document_type(stream)
    assert stream.tell() == 0


def test_a_zip_needing_an_unknown_zip_version_is_refused_not_crashed():
    content = bytearray(docx_bytes())
    central = content.index(b"PK\x01\x02")
    content[central + 6] = 99  # "version needed to extract" 9.9: zipfile raises NotImplementedError
    assert detect(bytes(content)) is None


def test_truncated_and_corrupted_files_never_raise():
    """Uploads are hostile: every prefix or mangling of a real file answers a type or None."""
    rng = random.Random(2026)
    samples = [pdf_bytes(), docx_bytes(), ole_bytes(), OLE_MAGIC + bytes(rng.randrange(256) for _ in range(4096))]
    for sample in samples:
        for cut in (8, 16, 64, 512, 1024, len(sample) // 2, len(sample) - 1):
            detect(sample[:cut])
        for _ in range(200):
            mangled = bytearray(sample)
            for _ in range(10):
                mangled[rng.randrange(8, len(mangled))] = rng.randrange(256)
            detect(bytes(mangled))
