from django.core.management.base import BaseCommand

from core.beat import beat_sync


class Command(BaseCommand):
    help = "Create the periodic tasks of config/beat.py that are missing; rows changed in the admin are kept."

    def handle(self, *args, **options):
        outcome = beat_sync()
        for name in outcome["created"]:
            self.stdout.write(f"created {name}")
        for name in outcome["differs"]:
            self.stdout.write(self.style.WARNING(f"kept {name}: it runs another task than config/beat.py names"))
        self.stdout.write(f"{len(outcome['created'])} created, {len(outcome['kept'])} kept as they were")
