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
    time.sleep(0.3)  # a request already inside the live server finishes
