import os
import time
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    """Where the journeys save their screenshots: a temporary folder, so a test run never
    rewrites tracked files; `make screenshots` sets SCREENSHOTS_DIR=docs/screenshots."""
    target = os.environ.get("SCREENSHOTS_DIR")
    if not target:
        return tmp_path_factory.mktemp("screenshots")
    path = Path(target).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item):
    """Close the browser's pages before the test's fixtures go: the open panel polls (presence,
    the conversation, the queue), and a poll still running in the live server while the test
    database is flushed can deadlock the flush. Runs before any fixture is torn down."""
    browser = item.funcargs.get("browser")
    if browser is None:
        return
    for context in list(browser.contexts):
        context.close()
    _wait_for_requests_in_flight()


def _wait_for_requests_in_flight(timeout: float = 15.0) -> None:
    """Until no other connection to the test database is working or holds a transaction open
    (a request already inside the live server), seen twice in a row: on a loaded machine a
    fixed pause was not always long enough."""
    from django.db import connection

    quiet, deadline = 0, time.monotonic() + timeout
    while quiet < 2 and time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')"
            )
            busy = cursor.fetchone()[0]
        quiet = 0 if busy else quiet + 1
        time.sleep(0.1)
