"""What the sending benches share: real Celery workers against a fake Twilio, and the wait for
the machine to settle between runs."""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start_workers(fake_url: str, workers: int, concurrency: int) -> list[subprocess.Popen]:
    env = {
        **os.environ,
        "TWILIO_API_BASE": fake_url,
        "CONN_MAX_AGE": "60",
        "DEBUG": "False",
        "SECRET_KEY": "bench-secret-key-" + "x" * 40,
    }
    procs = []
    for n in range(workers):
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--pool=prefork",
                    f"--concurrency={concurrency}",
                    "--loglevel=WARNING",
                    "--without-gossip",
                    "--without-mingle",
                    "-n",
                    f"bench{n}@localhost",
                ],
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )  # fmt: skip
        )
    from config.celery import app

    names = {f"bench{n}@localhost" for n in range(workers)}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=0.5) or []
        if names <= {name for reply in replies for name in reply}:
            return procs
    raise RuntimeError("workers did not start")


def settle(max_load: float, patience: float = 300) -> float:
    """Wait (a while) for the 1-minute load average to fall below max_load; returns it.

    A repeated run would otherwise start in the load its predecessor left behind.
    """
    deadline = time.monotonic() + patience
    while os.getloadavg()[0] >= max_load and time.monotonic() < deadline:
        time.sleep(5)
    return os.getloadavg()[0]
