from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts.models import User
from marketplace.models import Company, Document
from resumes.bulk import bulk_import_create, bulk_import_results
from resumes.models import BulkImport
from resumes.parsing import document_parse

SUFFIXES = {".pdf", ".doc", ".docx", ".zip"}


class Command(BaseCommand):
    help = (
        "Import resumes (PDF, DOC, DOCX files, ZIPs of them, or a folder) as candidates of a company, "
        "through the same service as POST /api/documents/bulk/."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A file, a ZIP archive, or a folder (searched recursively).")
        parser.add_argument("--company", required=True, metavar="SLUG")
        parser.add_argument("--user", metavar="EMAIL", help="The recruiter the import is made by (is notified).")
        parser.add_argument(
            "--queue", action="store_true", help="Queue the parses to Celery instead of parsing here and waiting."
        )

    def handle(self, *args, **options):
        company = Company.objects.filter(slug=options["company"]).first()
        if company is None:
            raise CommandError(f"No company with slug {options['company']!r}.")
        actor = None
        if options["user"]:
            actor = User.objects.filter(email__iexact=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user with email {options['user']}.")
        paths = self._paths(Path(options["path"]))
        quiet = options["verbosity"] == 0
        uploads = []
        for path in tqdm(paths, unit="file", desc="Reading", disable=quiet, file=self.stderr):
            uploads.append(SimpleUploadedFile(path.name, path.read_bytes()))
        try:
            bulk = bulk_import_create(actor=actor, company=company, uploads=uploads, queue_parsing=options["queue"])
        except Exception as exc:  # the service's own refusals (permission, no recruiter) read as plain errors
            raise CommandError(str(exc)) from None
        if not options["queue"]:
            documents = Document.objects.filter(bulk_import=bulk).order_by("created_at").values_list("pk", flat=True)
            for document_id in tqdm(documents, unit="resume", desc="Parsing", disable=quiet, file=self.stderr):
                document_parse(document_id=document_id)
        self._report(BulkImport.objects.get(pk=bulk.pk), queued=options["queue"])

    def _paths(self, path: Path) -> list[Path]:
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        if path.is_file():
            return [path]
        paths = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not paths:
            raise CommandError(f"No PDF, DOC, DOCX or ZIP files under {path}.")
        return paths

    def _report(self, bulk: BulkImport, *, queued: bool) -> None:
        if queued and not bulk.finished_at:
            self.stdout.write(f"Import {bulk.pk}: {bulk.total} files, parsing queued to the Celery workers.")
            return
        for result in bulk_import_results(bulk):
            if result["outcome"] in ("duplicate", "failed"):
                self.stdout.write(f"  {result['outcome']:9} {result['name']}: {result['reason']}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Import {bulk.pk}: {bulk.imported} imported, {bulk.duplicates} duplicate, {bulk.failed} failed "
                f"of {bulk.total} files."
            )
        )
