from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.choices import UserType
from accounts.models import User
from notifications.broadcaster import broadcaster
from notifications.models import Priority


class Command(BaseCommand):
    help = "Send a generic notification to one user (--user EMAIL) or to every user of a role (--role ROLE)."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--user", metavar="EMAIL")
        target.add_argument("--role", choices=[choice.value for choice in UserType])
        parser.add_argument("--message", required=True)
        parser.add_argument("--title", default="")
        parser.add_argument(
            "--type", dest="notification_type", default="info", help="notification_type: info, success, warning, …"
        )
        parser.add_argument("--priority", default=Priority.NORMAL, choices=[choice.value for choice in Priority])

    def handle(self, *args, **options):
        user_ids = []
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"]).first()
            if user is None:
                raise CommandError(f"No user with email {options['user']}")
            user_ids = [user.pk]
        with transaction.atomic():
            stored = broadcaster.publish(
                user_ids=user_ids,
                role=options["role"] or "",
                event_type="notification",
                notification_type=options["notification_type"],
                title=options["title"] or options["message"][:80],
                message=options["message"],
                priority=options["priority"],
            )
        target = options["user"] or f"role {options['role']}"
        self.stdout.write(self.style.SUCCESS(f"Sent notification #{stored[0].pk} to {target}"))
