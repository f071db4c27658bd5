"""Create the weekly QA sampling job (and any other missing periodic job) on migrate."""

from django.db import migrations


def create_schedules(apps, schema_editor):
    from queue_app.schedules import ensure_periodic_tasks

    ensure_periodic_tasks(
        apps.get_model("django_celery_beat", "IntervalSchedule"),
        apps.get_model("django_celery_beat", "PeriodicTask"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0004_note_override"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, migrations.RunPython.noop)]
