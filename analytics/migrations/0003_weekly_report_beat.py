"""The weekly recruiter report in the periodic tasks of an existing install."""

from django.db import migrations


def add_new_entries(apps, schema_editor):
    from core.beat import beat_sync

    beat_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("analytics", "0002_initial"), ("core", "0003_mail_beat"), ("privacy", "0002_beat")]

    operations = [migrations.RunPython(add_new_entries, migrations.RunPython.noop)]
