"""The periodic jobs of the queue's core (see queue_app.jobs)."""

# name → (task, every seconds)
SCHEDULE = {
    "Apply each practice's data retention policy": ("queue_app.tasks.apply_retention_task", 86400),
    "Break promises past their time and raise their items": (
        "queue_app.tasks.break_overdue_promises_task",
        60,
    ),
}
