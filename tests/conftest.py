"""Personas and shared fixtures. Tests run against real PostgreSQL and Redis (see Makefile)."""

import shutil

import pytest
from django.core.cache import cache
from django.db import connection
from hypothesis import settings as hypothesis_settings

from config.celery import app as celery_app
from queue_app.models import Role
from tests import factories

# Speed is measured in bench/, never asserted: no per-example deadline, which an example run
# on a loaded machine can miss (a property test failed that way).
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")


@pytest.fixture(autouse=True, scope="session")
def _real_postgresql(django_db_setup, django_db_blocker) -> None:
    with django_db_blocker.unblock():
        assert connection.vendor == "postgresql", "the suite runs on PostgreSQL: set DATABASE_URL"


@pytest.fixture(autouse=True)
def _fresh_refusal_counters():
    """The security alerts' refusal counters (queue_app.alerting) live in Redis, which
    outlives each test's transaction: every test starts and ends with none."""
    _delete_refusal_counters()
    yield
    _delete_refusal_counters()


def _delete_refusal_counters() -> None:
    if not hasattr(cache._cache, "get_client"):
        return  # a test swapped in a process-local cache: nothing of this kind outlives it
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=cache.make_key("alerting:*")))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    # Real hashing is slow on purpose; the tests check who may sign in, not PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        # Debian's Chromium, which `make test` installs when it is missing (bin/ensure-chromium).
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def practice_a(db):
    return factories.make_practice(slug="alpha", languages=["en", "es"])


@pytest.fixture
def practice_b(db):
    return factories.make_practice(slug="bravo", languages=["en"], timezone="America/Phoenix")


@pytest.fixture
def assistant(practice_a):
    return factories.make_user("assistant-a", practice_a, Role.ASSISTANT, languages=["en", "es"])


@pytest.fixture
def assistant_2(practice_a):
    return factories.make_user("assistant-a2", practice_a, Role.ASSISTANT, languages=["en", "es"])


@pytest.fixture
def manager(practice_a):
    return factories.make_user("manager-a", practice_a, Role.MANAGER)


@pytest.fixture
def clinical(practice_a):
    return factories.make_user("clinical-a", practice_a, Role.CLINICAL)


@pytest.fixture
def admin_user(practice_a):
    return factories.make_user("admin-a", practice_a, Role.ADMIN)


@pytest.fixture
def outsider(practice_b):
    """An assistant of another practice."""
    return factories.make_user("assistant-b", practice_b, Role.ASSISTANT)


@pytest.fixture
def patient(practice_a):
    return factories.make_patient(practice_a)


@pytest.fixture
def item(practice_a, patient):
    return factories.make_item(practice_a, patient=patient)


@pytest.fixture
def eager_celery():
    """Queued tasks run in the test's process, through Celery's registry (as a worker would)."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False
