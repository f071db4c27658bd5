"""The periodic job of notes (see queue_app.jobs).

Daily: sample_last_week tops each assistant's last week up to the sample size and never
beyond, so the runs after the first Monday one add nothing. Daily: purge_drafts deletes text
typed and never saved after seven days (it is about a patient), and unclaimed stashes.
"""

SCHEDULE = {
    "Sample last week's notes for QA review": ("notes.tasks.sample_last_week_task", 86400),
    "Purge unsaved drafts": ("notes.tasks.purge_drafts_task", 86400),
}
