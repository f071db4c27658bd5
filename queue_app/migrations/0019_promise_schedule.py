from django.db import migrations


def create_periodic_tasks(apps, schema_editor):
    from queue_app.jobs import ensure_periodic_tasks
    from queue_app.schedules import SCHEDULE

    ensure_periodic_tasks(
        SCHEDULE,
        apps.get_model("django_celery_beat", "IntervalSchedule"),
        apps.get_model("django_celery_beat", "PeriodicTask"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("queue_app", "0018_promises"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_periodic_tasks, migrations.RunPython.noop)]
