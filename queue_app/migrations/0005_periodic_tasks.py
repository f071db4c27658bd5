from django.db import migrations


def create_periodic_tasks(apps, schema_editor):
    from escalation.schedules import SCHEDULE as ESCALATION
    from messaging.schedules import SCHEDULE as MESSAGING
    from queue_app.jobs import ensure_periodic_tasks

    ensure_periodic_tasks(
        MESSAGING | ESCALATION,
        apps.get_model("django_celery_beat", "IntervalSchedule"),
        apps.get_model("django_celery_beat", "PeriodicTask"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("queue_app", "0004_messaging_and_workers"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_periodic_tasks, migrations.RunPython.noop)]
