"""What the sending benches share: the environment of the bench and its workers, a scratch
database made afresh for each run, real Celery workers against a fake Twilio, and the wait for
the machine to settle between runs.

Import this before Django is set up: `configure` writes the environment settings read, and the
workers inherit it.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# An outbox row in one of these states is done: the clock stops when every row is.
FINAL = ["sent", "delivered", "failed", "undelivered", "blocked", "cancelled"]


def configure(*, database: str, redis_db: int) -> None:
    """The bench's settings, as environment variables; the fake Twilio's URL comes later."""
    os.environ["DATABASE_URL"] = f"{SERVER}/{database}"
    os.environ.setdefault("REDIS_URL", f"redis://127.0.0.1:6379/{redis_db}")
    os.environ["CHANNEL_BACKEND"] = "messaging.channels.TwilioBackend"
    os.environ["TWILIO_ACCOUNT_SID"] = "AC" + "0" * 32
    os.environ["TWILIO_AUTH_TOKEN"] = "bench-token-0123456789abcdef0123"
    os.environ["BASE_URL"] = "https://queue.example.org"
    os.environ["LOG_LEVEL"] = "WARNING"
    # One practice's long code takes 1 text a second: the pipeline benches measure the
    # pipeline, and bench/sending_throughput.py measures sending with the senders' limits on.
    os.environ.setdefault("SENDER_RATE_LIMITS", "False")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def fresh_database() -> None:
    """Drop and recreate the bench's database, migrate it, and empty its Redis database."""
    import django
    import psycopg
    import redis
    from django.db import connections

    connections.close_all()  # a repeated run drops the database it used
    server, _, database = os.environ["DATABASE_URL"].rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {database}")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()


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


def stop_workers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        proc.wait(timeout=60)


def settle(max_load: float, patience: float = 300) -> float:
    """Wait (a while) for the 1-minute load average to fall below max_load; returns it.

    A repeated run would otherwise start in the load its predecessor left behind.
    """
    deadline = time.monotonic() + patience
    while os.getloadavg()[0] >= max_load and time.monotonic() < deadline:
        time.sleep(5)
    return os.getloadavg()[0]
