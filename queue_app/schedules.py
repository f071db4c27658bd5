"""The periodic jobs, stored in django-celery-beat's tables so admins can edit them.

`ensure_periodic_tasks` creates what is missing and leaves what admins changed alone; the
data migration and `manage.py setup_schedules` both call it.
"""

# name → (task, every seconds)
PERIODIC_TASKS = {
    "Sweep stale messages and webhook events": ("queue_app.tasks.sweep_stale_messages_task", 60),
    "Send due appointment reminders": ("queue_app.tasks.send_due_reminders_task", 60),
    "Flag items past their first-response target": ("queue_app.tasks.flag_overdue_items_task", 60),
    "Escalation acknowledgement deadlines": (
        "queue_app.tasks.escalate_overdue_acknowledgements_task",
        60,
    ),
    "Written fallback after the last callback attempt": (
        "queue_app.tasks.send_callback_fallbacks_task",
        300,
    ),
    "Open no-show recovery items": ("queue_app.tasks.open_no_show_items_task", 900),
    # Hourly, so each practice's previous week is sampled within an hour of its own Monday
    # 00:00; the service is idempotent, so the other runs of the week add nothing.
    "Weekly QA sample of last week's resolved items": ("notes.tasks.sample_last_week_task", 3600),
}


def ensure_periodic_tasks(interval_model=None, task_model=None) -> int:
    """Create the missing periodic tasks (models may be a migration's historical ones)."""
    if interval_model is None or task_model is None:
        from django_celery_beat.models import IntervalSchedule, PeriodicTask

        interval_model, task_model = IntervalSchedule, PeriodicTask
    created = 0
    for name, (task, seconds) in PERIODIC_TASKS.items():
        interval, _ = interval_model.objects.get_or_create(every=seconds, period="seconds")
        _, made = task_model.objects.get_or_create(
            name=name, defaults={"task": task, "interval": interval}
        )
        created += made
    return created
