"""The embedded default (SQLite) finds patients the same way: its search function is
registered per connection, where PostgreSQL has it from migration 0011."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_search_and_the_patient_page_work_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(VAR_DIR=str(tmp_path), DEBUG="True")
    run = subprocess.run(
        [sys.executable, "-m", "tests.patients.sqlite_search"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    found = summary["found"]
    assert found.pop("gomez") == 2  # Rosa Gómez and Rosa Gomez
    # Name with birth date, phone, MRN in lower case, the resolved item's reference: Rosa only.
    assert list(found.values()) == [1, 1, 1, 1]
    assert summary["page"] == 200
