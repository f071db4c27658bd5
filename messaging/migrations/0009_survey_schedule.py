from django.db import migrations


def create_schedule(apps, schema_editor):
    from messaging.schedules import SCHEDULE
    from queue_app.jobs import ensure_periodic_tasks

    ensure_periodic_tasks(
        SCHEDULE,
        apps.get_model("django_celery_beat", "IntervalSchedule"),
        apps.get_model("django_celery_beat", "PeriodicTask"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0008_survey"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, migrations.RunPython.noop)]
