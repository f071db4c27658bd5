import os
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
