"""Fixtures for messaging: a local fake Twilio, Twilio settings, and a real Celery worker."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from messaging import twilio_client
from tests.messaging.fake_twilio import FakeTwilio

AUTH_TOKEN = "12345678901234567890123456789012"
ACCOUNT_SID = "AC" + "0" * 32
BASE_URL = "https://queue.example.org"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def fake_twilio_server():
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_twilio(fake_twilio_server, settings):
    """The Twilio backend, pointed at the local fake; webhooks signed with AUTH_TOKEN."""
    fake_twilio_server.reset()
    settings.CHANNEL_BACKEND = "messaging.channels.TwilioBackend"
    settings.TWILIO_API_BASE = fake_twilio_server.url
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_MESSAGING_SERVICE_SID = ""
    settings.TWILIO_VALIDATE_SIGNATURES = True
    settings.BASE_URL = BASE_URL
    twilio_client._clients.clear()
    yield fake_twilio_server
    twilio_client._clients.clear()


def awake_quiet_hours(practice, now: datetime) -> None:
    """Put the practice's quiet hours far from `now`, so sends go at once whatever the clock."""
    from queue_app.clock import zone

    local = now.astimezone(zone(practice.timezone))
    practice.quiet_start = (local + timedelta(hours=6)).time().replace(second=0, microsecond=0)
    practice.quiet_end = (local + timedelta(hours=7)).time().replace(second=0, microsecond=0)
    practice.save(update_fields=["quiet_start", "quiet_end"])


class WorkerProcess:
    """`celery -A config worker` in its own process group, on the pytest database."""

    def __init__(self, fake: FakeTwilio, db_name: str, broker_url: str = "") -> None:
        self.fake = fake
        self.db_name = db_name
        # The suite's Redis database by default; the chaos tests give it a server of its own.
        self.broker_url = broker_url or os.environ["REDIS_URL"]
        self.log_path: Path | None = None
        self.proc: subprocess.Popen | None = None
        # The worker stores attachments here; tests read them back from the same folder.
        self.attachments_root = Path(tempfile.mkdtemp(prefix="pqtest-attachments-"))

    def env(self) -> dict:
        db = connection.settings_dict
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        return {
            **os.environ,
            "DATABASE_URL": url + self.db_name,
            "REDIS_URL": self.broker_url,
            "CHANNEL_BACKEND": "messaging.channels.TwilioBackend",
            "TWILIO_API_BASE": self.fake.url,
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_MESSAGING_SERVICE_SID": "",
            "BASE_URL": BASE_URL,
            "ATTACHMENTS_ROOT": str(self.attachments_root),
            "DEBUG": "True",
            "LOG_LEVEL": "WARNING",
        }

    def start(self, concurrency: int = 4) -> None:
        name = f"pqtest-{uuid.uuid4().hex[:8]}@localhost"
        # The chaos tests keep the worker's log (log_path) to show why a run failed.
        log = self.log_path.open("ab") if self.log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
             f"--concurrency={concurrency}", "--loglevel=WARNING", "--without-gossip",
             "--without-mingle", "-n", name],
            cwd=ROOT, env=self.env(), start_new_session=True, stdout=log, stderr=log,
        )  # fmt: skip
        with Celery(broker=self.broker_url, set_as_current=False) as control:
            # A loaded CI machine can take a minute to boot one (waited for, not slept).
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                replies = control.control.ping(destination=[name], timeout=0.5) or []
                if any(name in reply for reply in replies):
                    return
                if self.proc.poll() is not None:
                    raise RuntimeError("the celery worker exited at start")
        # Not left behind: a stray worker would take later tests' tasks from the broker.
        self.kill()
        raise RuntimeError("the celery worker did not answer within 120 s")

    def kill(self) -> None:
        """SIGKILL the worker and all its children at once: no cleanup, no acks."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def _clear_broker() -> None:
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.delete("celery", "unacked", "unacked_index", "unacked_mutex")


@pytest.fixture(scope="session")
def _worker_process(fake_twilio_server, django_db_setup, django_db_blocker):
    """One worker for the session (a test that kills it starts it again)."""
    with django_db_blocker.unblock():
        name = connection.settings_dict["NAME"]
    _clear_broker()
    process = WorkerProcess(fake_twilio_server, name)
    process.start()
    yield process
    process.kill()
    _clear_broker()
    shutil.rmtree(process.attachments_root, ignore_errors=True)


@pytest.fixture
def worker(_worker_process, fake_twilio, transactional_db):
    """A real worker on the committed test database, started for this test.

    Started afresh each time: the database is flushed between transactional tests and rebuilds
    its content types under new ids, which a worker from an earlier test still holds in its
    caches (guardian's permission lookups would then find nobody to alert or to send to)."""
    _worker_process.stop()
    _clear_broker()
    _worker_process.start()
    yield _worker_process
    # Stopped with its test: a module that imports these fixtures gets its own session
    # instance, and a worker left running would take the next tests' tasks from the broker.
    _worker_process.stop()
