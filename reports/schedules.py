"""The scorecard's periodic job (see queue_app.jobs).

It runs hourly: each practice's snapshot is built at the first run after Monday 06:00 in its
own time zone (see services.build_last_week_scorecards), so one schedule serves every zone.
"""

SCORECARD_TASK = "Build last week's scorecards and email managers"
SCORECARD_TASK_PATH = "reports.tasks.build_last_week_scorecards_task"
EVERY_SECONDS = 3600

SCHEDULE = {SCORECARD_TASK: (SCORECARD_TASK_PATH, EVERY_SECONDS)}
