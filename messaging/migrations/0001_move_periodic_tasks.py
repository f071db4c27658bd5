"""The periodic tasks moved from queue_app.tasks to messaging.tasks: point stored rows at them."""

from django.db import migrations
from django.utils import timezone

OLD = "queue_app.tasks."
NEW = "messaging.tasks."


def _rename(apps, old: str, new: str) -> None:
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    changed = 0
    for row in task_model.objects.filter(task__startswith=old):
        row.task = new + row.task.removeprefix(old)
        row.save(update_fields=["task"])
        changed += 1
    if changed:
        # A running beat reloads its schedule only when this marker moves.
        marker = apps.get_model("django_celery_beat", "PeriodicTasks")
        marker.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def forwards(apps, schema_editor):
    _rename(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("queue_app", "0005_periodic_tasks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
