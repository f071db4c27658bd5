from django.db import migrations

NAME = "Sweep stale messages and webhook events"


def sweep_often(apps, schema_editor):
    # Only a sweep still at the old default: an interval an admin chose is theirs.
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    interval, _ = IntervalSchedule.objects.get_or_create(every=10, period="seconds")
    PeriodicTask.objects.filter(name=NAME, interval__every=60, interval__period="seconds").update(
        interval=interval
    )


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0008_survey"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(sweep_often, migrations.RunPython.noop)]
