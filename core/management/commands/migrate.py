"""Django's migrate, refusing clearly a database made before the 0.2 layout (see README, "Upgrading")."""

from django.core.management.base import CommandError
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections

from core.legacy import legacy_layout_message


class Command(MigrateCommand):
    def handle(self, *args, **options):
        message = legacy_layout_message(connections[options["database"]])
        if message:
            raise CommandError(message)
        return super().handle(*args, **options)
