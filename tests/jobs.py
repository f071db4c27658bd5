"""What a test reads from captured on-commit callbacks: the Celery tasks a change queued."""

from collections.abc import Callable


def queued_tasks(callbacks: list[Callable]) -> list[Callable]:
    """The callbacks of queue_app.jobs.enqueue, without the renewal of the queue's change
    marks (queue_app.changes) that every recorded item event adds."""
    return [c for c in callbacks if getattr(c, "__qualname__", "") == "enqueue.<locals>.publish"]
