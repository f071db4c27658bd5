"""The periodic job of campaigns (see queue_app.jobs)."""

# name → (task, every seconds)
SCHEDULE = {
    "Take up campaign sends that stalled": ("campaigns.tasks.resume_stalled_sends_task", 300),
}
