"""The periodic jobs of campaigns (see queue_app.jobs)."""

# name → (task, every seconds)
SCHEDULE = {
    "Take up campaign sends that stalled": ("campaigns.tasks.resume_stalled_sends_task", 300),
    # Each occurrence goes within a minute of its time; a second run starts nothing more.
    "Start recurring campaigns' sends": ("campaigns.tasks.start_due_occurrences_task", 60),
}
