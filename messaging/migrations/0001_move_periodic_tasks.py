"""The periodic tasks moved out of queue_app.tasks: point the stored beat rows at their names.

The acknowledgement deadline ran through a stub in queue_app.tasks; it now runs escalation's
own task.
"""

from django.db import migrations
from django.utils import timezone

MOVED = {
    f"queue_app.tasks.{name}": f"messaging.tasks.{name}"
    for name in (
        "sweep_stale_messages_task",
        "send_due_reminders_task",
        "flag_overdue_items_task",
        "send_callback_fallbacks_task",
        "open_no_show_items_task",
    )
} | {
    "queue_app.tasks.escalate_overdue_acknowledgements_task": (
        "escalation.tasks.escalate_overdue_acknowledgements_task"
    )
}


def _rename(apps, names: dict[str, str]) -> None:
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    changed = 0
    for old, new in names.items():
        changed += task_model.objects.filter(task=old).update(task=new)
    if changed:
        # A running beat reloads its schedule only when this marker moves.
        marker = apps.get_model("django_celery_beat", "PeriodicTasks")
        marker.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def forwards(apps, schema_editor):
    _rename(apps, MOVED)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in MOVED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("queue_app", "0005_periodic_tasks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
