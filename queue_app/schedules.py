"""The periodic jobs of the queue's core (see queue_app.jobs)."""

# name → (task, every seconds)
SCHEDULE = {
    "Apply each practice's data retention policy": ("queue_app.tasks.apply_retention_task", 86400),
}
