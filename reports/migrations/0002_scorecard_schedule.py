from django.db import migrations


def create_schedule(apps, schema_editor):
    from queue_app.jobs import ensure_periodic_tasks
    from reports.schedules import SCHEDULE

    ensure_periodic_tasks(
        SCHEDULE,
        apps.get_model("django_celery_beat", "IntervalSchedule"),
        apps.get_model("django_celery_beat", "PeriodicTask"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_scorecard_and_decisions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, migrations.RunPython.noop)]
