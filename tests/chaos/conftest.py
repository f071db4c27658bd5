"""The chaos scenarios' world: a Redis server of their own, real workers and a real beat.

The suite shares the machine's PostgreSQL and Redis between pytest-xdist workers, so nothing
here restarts those: each test gets its own `redis-server` on a free port as the broker (it
can be killed and started again empty, the way a Redis restart loses the queue), and its
workers and beat run on the committed test database against the local fake Twilio. The test
process never publishes to the suite's broker: work is started by sending the periodic task
to the private one, as beat would. The PostgreSQL scenario (`chaos_postgres`) copies the test
database into a cluster of its own (tests/chaos/scratch_postgres.py), which it may restart.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from messaging import reminders
from messaging.schedules import SCHEDULE
from queue_app.jobs import ensure_periodic_tasks
from queue_app.models import Message
from tests import factories
from tests.chaos.scratch_postgres import ScratchPostgres, free_port
from tests.messaging.conftest import (  # noqa: F401 (fixtures)
    ROOT,
    WorkerProcess,
    awake_quiet_hours,
    fake_twilio,
    fake_twilio_server,
)
from tests.polling import wait_for

FINAL = {"sent", "delivered", "failed", "undelivered", "blocked", "cancelled"}
# How long a scenario may take to settle after its fault: far above the documented recovery
# (docs/RELIABILITY.md) so a loaded machine does not fail it; a run that works ends sooner.
SETTLE = 240
# The periodic jobs the scenarios rely on, at their production intervals.
JOBS = ("Sweep stale messages and webhook events", "Send due appointment reminders")


class RedisServer:
    """A throwaway redis-server with no persistence: a restart comes back empty."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import redis

        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder), "--loglevel", "warning"],
            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port)
        if not wait_for(lambda: _answers(client), timeout=20):
            raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def restart(self) -> None:
        """Killed (nothing saved) and started again on the same port: the queue is gone."""
        self.kill()
        self.start()


def _answers(client) -> bool:
    import redis

    try:
        return client.ping()
    except redis.ConnectionError:
        return False


class BeatProcess:
    """`celery -A config beat` with the database scheduler, on the chaos broker."""

    def __init__(self, env: dict, log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.log_start = 0
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO",
             "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler",
             "--pidfile=", "--max-interval=1"],
            cwd=ROOT, env=self.env, start_new_session=True, stdout=log, stderr=log,
        )  # fmt: skip

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def scheduling(self) -> bool:
        """Whether beat, since its last start, has read its schedule from the database and
        sent a task (it logs nothing earlier that says so)."""
        with self.log_path.open("rb") as log:
            log.seek(self.log_start)
            return b"Sending due task" in log.read()


class Chaos:
    """One scenario's processes; `outcome()` reads what the patients would have received."""

    def __init__(
        self, fake, db_name: str, folder: Path, postgres: ScratchPostgres | None = None
    ) -> None:
        self.fake = fake
        self.postgres = postgres
        self.folder = folder
        self.redis = RedisServer(folder)
        self.worker = WorkerProcess(fake, db_name, broker_url=self.redis.url)
        self.worker.log_path = folder / "worker.log"
        self.beat = BeatProcess(self.worker.env(), folder / "beat.log")

    def start(self) -> None:
        self.redis.start()
        ensure_periodic_tasks({name: SCHEDULE[name] for name in JOBS})
        self.worker.start()
        self.beat.start()

    def stop(self) -> None:
        self.beat.kill()
        self.worker.kill()
        self.redis.kill()
        shutil.rmtree(self.worker.attachments_root, ignore_errors=True)

    def restart_postgres(self, down: float) -> None:
        """PostgreSQL stopped (fast: every session cut mid-query) for `down` seconds, then
        started again; returns once it accepts connections."""
        connection.close()  # the test's own session goes with the others
        self.postgres.stop()
        time.sleep(down)
        self.postgres.start()

    def every(self, job: str, seconds: int) -> None:
        """Run a periodic job this often (as an admin can); read by beat within a second."""
        interval, _ = IntervalSchedule.objects.get_or_create(every=seconds, period="seconds")
        task = PeriodicTask.objects.get(name=job)
        task.interval = interval
        task.save()

    def send_due_reminders(self) -> None:
        """What beat sends every minute, sent now to the chaos broker."""
        with Celery(broker=self.redis.url, set_as_current=False) as app:
            app.send_task("messaging.tasks.send_due_reminders_task")

    def accepted(self) -> int:
        return sum(self.fake.accepted_counts().values())

    def settled(self, count: int) -> bool:
        outbox = Message.objects.filter(direction="out")
        return outbox.count() == count and not outbox.exclude(status__in=FINAL).exists()

    def outbox(self) -> dict[str, int]:
        """Outbox rows by status: what a failed wait reports (no patient detail)."""
        rows = Message.objects.filter(direction="out").values_list("status")
        return dict(rows.annotate(n=Count("pk")).order_by())

    def assert_each_sent_once(self, count: int) -> None:
        """0 lost, 0 duplicated, 0 stuck: every reminder's text accepted by the provider
        exactly once (its request log) and recorded as sent (the database)."""
        outbox = Message.objects.filter(direction="out")
        codes = {str(code) for code in outbox.values_list("code", flat=True)}
        assert len(codes) == count
        assert set(outbox.values_list("status", flat=True)) == {"sent"}
        accepted = self.fake.accepted_counts()
        assert {code for code, n in accepted.items() if n > 1} == set(), "sent twice"
        assert codes - set(accepted) == set(), "never reached the provider"
        assert set(accepted) == codes


@contextmanager
def _world(fake, folder: Path, postgres: ScratchPostgres | None = None):
    with connection.cursor():
        db_name = connection.settings_dict["NAME"]
    world = Chaos(fake, db_name, folder, postgres)
    try:
        world.start()
        yield world
    finally:
        world.stop()  # a process left running would take another test's tasks
    for log in ("worker.log", "beat.log"):
        # Shown with a failure's report (pytest prints captured output of failed tests).
        print(f"--- {log}\n" + (folder / log).read_text(errors="replace")[-4000:])


@pytest.fixture
def chaos(fake_twilio, transactional_db, tmp_path):  # noqa: F811 (the imported fixture)
    with _world(fake_twilio, tmp_path) as world:
        yield world


@pytest.fixture
def scratch_postgres(transactional_db):
    """The test database copied into a PostgreSQL cluster of the test's own, and the test's
    connection (so the worker and beat it starts) pointed at it; removed afterwards, also
    when the test fails. The shared PostgreSQL is never stopped."""
    suite = {key: connection.settings_dict[key] for key in ("HOST", "PORT", "USER")}
    host, port = suite["HOST"] or "127.0.0.1", suite["PORT"] or 5432
    name = connection.settings_dict["NAME"]
    cluster = ScratchPostgres()
    try:
        cluster.start()
        cluster.copy_database(f"postgres://{suite['USER']}@{host}:{port}/{name}", name)
        connection.close()
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(cluster.port), USER="postgres")
        yield cluster
    finally:
        connection.close()
        connection.settings_dict.update(suite)  # pytest-django flushes the suite's database
        print("--- postgresql.log\n" + cluster.log()[-4000:])
        cluster.remove()


@pytest.fixture
def chaos_postgres(fake_twilio, scratch_postgres, tmp_path):  # noqa: F811
    """The chaos world on a PostgreSQL that `chaos.restart_postgres()` may restart."""
    with _world(fake_twilio, tmp_path, scratch_postgres) as world:
        # A beat still booting when the database goes away exits (its supervisor restarts
        # it in production, docker-compose.yml); the scenario is a restart under a running
        # beat, so it waits for beat's first run (the sweep, 10 s).
        assert wait_for(world.beat.scheduling, timeout=120), "beat did not start"
        yield world


def schedule_reminders(count: int, offset: int = 0) -> None:
    """`count` confirmation requests due now (appointments in 50 h), committed."""
    now = timezone.now()
    practice = factories.make_practice(slug=f"chaos-{offset}", languages=["en"])
    awake_quiet_hours(practice, now)
    for n in range(offset, offset + count):
        patient = factories.make_patient(practice, phone=f"+1202557{n:04d}")
        appointment = factories.make_appointment(patient, starts_at=now + timedelta(hours=50))
        reminders.sync_reminders(appointment=appointment, now=now)
