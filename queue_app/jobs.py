"""Queueing a Celery task by its name once the current transaction commits.

A tasks module imports the services it wraps (a task is a thin wrapper). A service that
queues follow-up work therefore names the task instead of importing it: importing it back
would close an import circle. Celery's registry resolves the name to the task itself, so eager
mode, retries and routing behave as with `task.delay`. The apps register their tasks when
Django starts (each AppConfig.ready imports its tasks module).
"""

from celery import current_app
from django.db import transaction


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
