"""The embedded default (SQLite) takes simultaneous claims without "database is locked", and
assigns new items round robin by language."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_simultaneous_claims_on_sqlite_give_one_owner_and_no_500(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(VAR_DIR=str(tmp_path), DEBUG="True", CELERY_TASK_ALWAYS_EAGER="False")
    run = subprocess.run(
        [sys.executable, "-m", "tests.queue_app.sqlite_claims"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    assert summary["journal_mode"] == "wal"
    assert summary["statuses"] == [200] * 16, summary
    assert summary["owner"]
    assert summary["claimed_events"] == 1
    assert summary["round_robin_owner"] == "bilingual"
