"""The requeue of stuck mail in the periodic tasks of an existing install (a fresh one gets it from 0001)."""

from django.db import migrations


def add_new_entries(apps, schema_editor):
    from core.beat import beat_sync

    beat_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_outgoing_mail")]

    operations = [migrations.RunPython(add_new_entries, migrations.RunPython.noop)]
