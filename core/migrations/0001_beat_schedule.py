"""The periodic tasks of a fresh install (config/beat.py), in django-celery-beat's tables."""

from django.db import migrations


def create_schedule(apps, schema_editor):
    from core.beat import beat_sync

    beat_sync(apps=apps)


def remove_schedule(apps, schema_editor):
    from django.conf import settings

    names = list(settings.KAZI_BEAT_SCHEDULE)
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
