import pytest

from config.celery import app as celery_app


@pytest.fixture
def eager_celery():
    """Queued tasks run in the test's process, through Celery's registry (as a worker would)."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False
