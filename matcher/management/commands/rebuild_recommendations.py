from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts.choices import UserType
from accounts.models import User
from marketplace.models import JobSeekerProfile
from matcher.recommendations import recommendations_rebuild


class Command(BaseCommand):
    help = "Rebuild the stored top-50 recommendations of every job seeker (or of one, with --user EMAIL)."

    def add_arguments(self, parser):
        parser.add_argument("--user", metavar="EMAIL", help="Only this job seeker.")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, **options):
        seeker_ids = None
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"], user_type=UserType.JOB_SEEKER).first()
            if user is None:
                raise CommandError(f"No job seeker with email {options['user']}")
            seeker_ids = [user.pk]
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        total = len(seeker_ids) if seeker_ids else JobSeekerProfile.objects.filter(user__is_active=True).count()
        with tqdm(total=total, unit="seeker", disable=options["verbosity"] == 0, file=self.stderr) as bar:
            stats = recommendations_rebuild(
                seeker_ids=seeker_ids, batch_size=options["batch_size"], progress=bar.update
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt {stats.stored} recommendations for {stats.seekers} seeker(s) against {stats.jobs} open jobs "
                f"in {stats.seconds:.1f} s ({stats.pairs_scored / max(stats.seconds, 1e-9):,.0f} pairs/s)."
            )
        )
