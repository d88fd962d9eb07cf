"""Small builders shared by the marketplace tests: real document bytes and uploads."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(pages: int = 1, padding: int = 0) -> bytes:
    """A real PDF written by pypdf; `padding` adds that many bytes of metadata to make it bigger."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if padding:
        writer.add_metadata({"/Subject": "x" * padding})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx_bytes(text: str = "Curriculum vitae") -> bytes:
    """A real DOCX written by python-docx."""
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, name: str, document_type: str = "resume", content_type: str | None = None):
    """POST a multipart upload to /api/documents/ as a browser would."""
    file = SimpleUploadedFile(name, content, content_type=content_type or "application/octet-stream")
    return client.post("/api/documents/", {"file": file, "document_type": document_type}, format="multipart")


def ids(response) -> set:
    """The ids on a paginated list response."""
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.data["results"]}


def ole_bytes(stream_name: str = "WordDocument", stream_size: int = 4096) -> bytes:
    """A minimal but valid OLE2 compound file holding one stream, written by hand.

    With `WordDocument` it has the structure of a Word 97-2003 .doc; with `Workbook` that of an .xls.
    Layout (512-byte sectors): header, sector 0 the FAT, sector 1 the directory, then the stream.
    """
    import struct

    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    stream_sectors = -(-stream_size // 512)
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", free) * 108
    assert len(header) == 512

    fat = [fat_sector, end] + [3 + i for i in range(stream_sectors - 1)] + [end]
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", no_stream, no_stream, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, end, 0) + entry(stream_name, 2, no_stream, 2, stream_size)
    directory += entry("", 0, no_stream, 0, 0) * 2
    stream = (b"\xec\xa5" + bytes(stream_size - 2)).ljust(stream_sectors * 512, b"\0")
    return header + struct.pack("<128I", *fat) + directory + stream
