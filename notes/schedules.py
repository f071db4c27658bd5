"""The periodic job of notes (see queue_app.jobs).

Daily: sample_last_week tops each assistant's last week up to the sample size and never
beyond, so the runs after the first Monday one add nothing.
"""

SCHEDULE = {
    "Sample last week's notes for QA review": ("notes.tasks.sample_last_week_task", 86400),
}
