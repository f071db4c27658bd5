"""Celery plumbing of the apps: queueing a task by name, and the periodic jobs.

A tasks module imports the services it wraps (a task is a thin wrapper). A service that
queues follow-up work therefore names the task instead of importing it: importing it back
would close an import circle. Celery's registry resolves the name to the task itself, so eager
mode, retries and routing behave as with `task.delay`. The apps register their tasks when
Django starts (each AppConfig.ready imports its tasks module).

Each app that has periodic jobs lists them as SCHEDULE in its `schedules.py`; they are
stored in django-celery-beat's tables after every migrate (so a new job needs no migration of
its own) and by `manage.py setup_schedules`.
"""

from importlib import import_module

from celery import current_app
from django.apps import apps
from django.db import connections, transaction
from django.utils.module_loading import module_has_submodule


def enqueue(task: str, *args: object, countdown: float | None = None) -> None:
    """Queue `task` (its registered dotted name) with `args` after the transaction commits
    (at once outside one), so the worker never reads a row that is not there yet."""

    def publish() -> None:
        registered = current_app.tasks[task]
        if countdown:
            registered.apply_async(args, countdown=countdown)
        else:
            registered.delay(*args)

    transaction.on_commit(publish)


def all_schedules() -> dict[str, tuple[str, int]]:
    """Every app's periodic jobs: the SCHEDULE of each installed app's `schedules` module."""
    found: dict[str, tuple[str, int]] = {}
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "schedules"):
            found |= import_module(f"{config.name}.schedules").SCHEDULE
    return found


def ensure_periodic_tasks(
    schedule: dict[str, tuple[str, int]], interval_model=None, task_model=None
) -> int:
    """Create the missing periodic tasks of `schedule` (name → (task, every seconds)) in
    django-celery-beat's tables, where admins can edit them; rows that exist are left alone.
    The models may be a migration's historical ones."""
    if interval_model is None or task_model is None:
        # Read only when called: the models need the app registry, this module does not.
        from django_celery_beat.models import IntervalSchedule, PeriodicTask

        interval_model, task_model = IntervalSchedule, PeriodicTask
    created = 0
    for name, (task, seconds) in schedule.items():
        interval, _ = interval_model.objects.get_or_create(every=seconds, period="seconds")
        _, made = task_model.objects.get_or_create(
            name=name, defaults={"task": task, "interval": interval}
        )
        created += made
    return created


def store_schedules_after_migrate(using: str, **kwargs) -> None:
    """post_migrate: store the periodic jobs a release added (those that exist, edited by an
    admin or not, are left alone). Skipped while django-celery-beat's tables are missing."""
    if "django_celery_beat_periodictask" in connections[using].introspection.table_names():
        ensure_periodic_tasks(all_schedules())
