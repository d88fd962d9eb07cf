"""Text out of real PDF and DOCX files made here; the clear reasons when there is none."""

import pytest

from resumes.text import TextNotExtracted, extract_text
from tests.marketplace.helpers import ole_bytes
from tests.resumes.files import docx_bytes, pdf_bytes, resume_lines, scanned_pdf_bytes


def test_pdf_text_keeps_the_lines():
    text = extract_text(pdf_bytes(resume_lines()))
    assert "Amina Wanjiru" in text.split("\n")
    assert "amina.wanjiru@example.com" in text


def test_docx_text_includes_tables():
    text = extract_text(docx_bytes(["Jane Doe"], table_rows=[("Skills", "Go, Rust")]))
    assert "Jane Doe" in text
    assert "Go, Rust" in text


def test_a_scanned_pdf_is_no_text_found_not_a_crash():
    with pytest.raises(TextNotExtracted, match="No text found"):
        extract_text(scanned_pdf_bytes())


def test_a_damaged_pdf_says_so():
    with pytest.raises(TextNotExtracted, match="could not be read"):
        extract_text(b"%PDF-1.7\n" + b"\x00garbage" * 200)


def test_a_word_97_document_is_stored_but_not_read():
    with pytest.raises(TextNotExtracted, match="Word 97"):
        extract_text(ole_bytes("WordDocument"))


def test_something_that_is_not_a_document():
    with pytest.raises(TextNotExtracted, match="not a PDF"):
        extract_text(b"hello world")
