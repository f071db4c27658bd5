"""The embedded default (SQLite, filesystem broker) in a process of its own: the suite's own
process runs on PostgreSQL and Redis."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def embedded_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """This environment without the database and Redis settings, its files under `var_dir`."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(VAR_DIR=str(var_dir), **extra)
    return env


def run_embedded_script(module: str, var_dir: Path, **extra_env: str) -> dict:
    """Run `python -m module` on the embedded default; the JSON summary it prints last."""
    run = subprocess.run(
        [sys.executable, "-m", module],
        env=embedded_env(var_dir, DEBUG="True", **extra_env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1])
