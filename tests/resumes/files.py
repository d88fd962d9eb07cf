"""Real resume files made in the test: PDFs drawn with reportlab, DOCX written with python-docx, ZIPs of them."""

import io
import zipfile

from docx import Document as DocxDocument
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def resume_lines(
    *,
    name="Amina Wanjiru",
    email="amina.wanjiru@example.com",
    phone="+254 712 345 678",
    skills=("Python", "Django", "PostgreSQL", "Docker"),
    extra: str = "",
) -> list[str]:
    return [
        name,
        f"Nairobi, Kenya | {email} | {phone}",
        "Summary",
        "Backend engineer who builds payment systems.",
        "Work Experience",
        "Senior Software Engineer at SavannaPay | Jan 2020 – Dec 2024",
        "• Built the settlement service",
        "Software Developer, Acme Ltd, Mar 2016 - Dec 2019",
        "• Wrote REST APIs",
        "Education",
        "BSc Computer Science, University of Nairobi, 2015",
        "Skills",
        ", ".join(skills),
        *([extra] if extra else []),
    ]


def pdf_bytes(lines: list[str], *, pages: int = 1) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for number in range(pages):
        y = 800
        for line in lines if number == 0 else [f"Page {number + 1}", *lines[2:]]:
            page.drawString(60, y, line)
            y -= 18
        page.showPage()
    page.save()
    return buffer.getvalue()


def scanned_pdf_bytes() -> bytes:
    """A PDF whose page is only a drawing, as a scanner makes: no text layer."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for i in range(40):
        page.rect(50 + i * 5, 400, 3, 200, fill=1)
    page.showPage()
    page.save()
    return buffer.getvalue()


def docx_bytes(lines: list[str], *, table_rows: list[tuple[str, str]] = ()) -> bytes:
    document = DocxDocument()
    for line in lines:
        document.add_paragraph(line)
    if table_rows:
        table = document.add_table(rows=0, cols=2)
        for left, right in table_rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = left, right
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def add_expanding_member(archive_bytes: bytes, name: str, expanded_size: int) -> bytes:
    """Append a member that inflates to `expanded_size` zero bytes (a ZIP bomb), compressed as it is written."""
    buffer = io.BytesIO(archive_bytes)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(expanded_size // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()
