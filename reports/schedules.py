"""The scorecard's periodic job, stored in django-celery-beat's tables like the queue's jobs.

It runs hourly: each practice's snapshot is built at the first run after Monday 06:00 in its
own time zone (see services.build_last_week_scorecards), so one schedule serves every zone.
"""

SCORECARD_TASK = "Build last week's scorecards and email managers"
SCORECARD_TASK_PATH = "reports.tasks.build_last_week_scorecards_task"
EVERY_SECONDS = 3600


def ensure_scorecard_schedule(interval_model=None, task_model=None) -> int:
    """Create the periodic task when missing (models may be a migration's historical ones)."""
    if interval_model is None or task_model is None:
        from django_celery_beat.models import IntervalSchedule, PeriodicTask

        interval_model, task_model = IntervalSchedule, PeriodicTask
    interval, _ = interval_model.objects.get_or_create(every=EVERY_SECONDS, period="seconds")
    _, created = task_model.objects.get_or_create(
        name=SCORECARD_TASK, defaults={"task": SCORECARD_TASK_PATH, "interval": interval}
    )
    return int(created)
