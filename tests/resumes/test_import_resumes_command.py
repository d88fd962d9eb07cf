"""Staff import a folder of resumes from the shell, with the same outcome as the API."""

import pytest
from django.core.management import CommandError, call_command

from notifications.models import Notification
from resumes.models import CandidateRecord
from tests.resumes.files import docx_bytes, pdf_bytes, resume_lines, zip_bytes


def test_a_folder_with_a_zip_inside_is_imported_and_summarized(recruiter, tmp_path, capsys):
    folder = tmp_path / "incoming"
    (folder / "nested").mkdir(parents=True)
    (folder / "one.pdf").write_bytes(pdf_bytes(resume_lines(name="Ann One", email="ann@example.com")))
    (folder / "nested" / "two.docx").write_bytes(docx_bytes(resume_lines(name="Ben Two", email="ben@example.com")))
    (folder / "batch.zip").write_bytes(
        zip_bytes({"three.pdf": pdf_bytes(resume_lines(name="Cy Three", email="cy@example.com")), "x.txt": b"no"})
    )
    (folder / "ignored.txt").write_text("not a resume")

    call_command("import_resumes", str(folder), "--company", recruiter.company.slug, "--user", recruiter.email)

    out = capsys.readouterr()
    assert "3 imported, 0 duplicate, 1 failed of 4 files" in out.out
    assert "x.txt" in out.out
    assert "Parsing" in out.err  # the progress bar
    assert set(CandidateRecord.objects.values_list("email", flat=True)) == {
        "ann@example.com",
        "ben@example.com",
        "cy@example.com",
    }
    assert Notification.objects.filter(recipient=recruiter, notification_type="bulk_upload_completed").count() == 1


def test_clear_errors_for_a_wrong_company_or_path(recruiter, tmp_path):
    with pytest.raises(CommandError, match="No company"):
        call_command("import_resumes", str(tmp_path), "--company", "nope")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("import_resumes", str(tmp_path / "missing"), "--company", recruiter.company.slug)
    with pytest.raises(CommandError, match="No PDF, DOC, DOCX or ZIP"):
        call_command("import_resumes", str(tmp_path), "--company", recruiter.company.slug)
