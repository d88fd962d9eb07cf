import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts.choices import UserType
from accounts.models import User
from marketplace.models import JobSeekerProfile
from matcher.recommendations import recommendations_rebuild, recommendations_rebuild_start
from matcher.tasks import dispatch_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the stored top-50 recommendations of every job seeker (or of one, with --user EMAIL), here or, "
        "with --celery, in chunks that the running Celery workers share."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", metavar="EMAIL", help="Only this job seeker.")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--celery",
            action="store_true",
            help="Queue the nightly task's chunks for the Celery workers and follow them until the run finishes "
            "(Ctrl-C stops following, not the run).",
        )
        parser.add_argument(
            "--chunk-seekers",
            type=int,
            default=settings.KAZI_REBUILD_CHUNK_SEEKERS,
            help="Seekers per chunk with --celery (default: KAZI_REBUILD_CHUNK_SEEKERS).",
        )

    def handle(self, *args, **options):
        if options["batch_size"] < 1 or options["chunk_seekers"] < 1:
            raise CommandError("--batch-size and --chunk-seekers must be at least 1")
        if options["celery"]:
            if options["user"]:
                raise CommandError("--celery rebuilds everyone; --user rebuilds one seeker here")
            return self.through_workers(options)
        seeker_ids = None
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"], user_type=UserType.JOB_SEEKER).first()
            if user is None:
                raise CommandError(f"No job seeker with email {options['user']}")
            seeker_ids = [user.pk]
        total = len(seeker_ids) if seeker_ids else JobSeekerProfile.objects.filter(user__is_active=True).count()
        with tqdm(total=total, unit="seeker", disable=options["verbosity"] == 0, file=self.stderr) as bar:
            stats = recommendations_rebuild(
                seeker_ids=seeker_ids, batch_size=options["batch_size"], progress=bar.update
            )
        removed = f" Removed {stats.removed} rows of seekers no longer active." if stats.removed else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt {stats.stored} recommendations for {stats.seekers} seeker(s) against {stats.jobs} open jobs "
                f"in {stats.seconds:.1f} s ({stats.pairs_scored / max(stats.seconds, 1e-9):,.0f} pairs/s).{removed}"
            )
        )

    def through_workers(self, options) -> None:
        run = recommendations_rebuild_start(chunk_seekers=options["chunk_seekers"])
        dispatch_rebuild(run)
        self.stdout.write(f"Rebuild {run.pk}: {run.chunk_count} chunk(s) queued for the Celery workers.")
        started = time.monotonic()
        with tqdm(total=run.chunk_count, unit="chunk", disable=options["verbosity"] == 0, file=self.stderr) as bar:
            while True:
                done = run.chunks.filter(finished_at__isnull=False).count()
                bar.update(done - bar.n)
                run.refresh_from_db()
                if run.finished_at is not None:
                    break
                time.sleep(1)
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt {run.stored} recommendations for {run.seekers} seeker(s) against {run.jobs} open jobs "
                f"in {seconds:.1f} s ({run.pairs_scored / max(seconds, 1e-9):,.0f} pairs/s), "
                f"{run.chunk_count} chunk(s); removed {run.removed} rows of seekers no longer active."
            )
        )
