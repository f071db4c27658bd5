"""Stored the broken-promise check in the beat tables; every release's jobs are now stored after each
migrate (queue_app.jobs.store_schedules_after_migrate), so this step does nothing."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("queue_app", "0018_promises")]
    operations = []
