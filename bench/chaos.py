"""Faults during a batch of 2,000 reminders: lost, duplicated, stuck, and time to recover.

    .venv/bin/python bench/chaos.py [--messages 2000] [--runs 3] [--only worker-kill,...]

Everything runs on this machine and nothing shared is touched: a scratch PostgreSQL cluster
(initdb into a temporary folder, as the `postgres` user when run as root), a redis-server of
its own, the fake Twilio of the tests over HTTP, two real `celery -A config worker`
processes (prefork, 4 each) and a real beat (database scheduler, production intervals). Each
run starts from a fresh copy of a migrated database with N confirmation requests due; the
bench sends `send_due_reminders_task` as beat would, lets the batch get going with Twilio
slowed to 20 ms an answer, injects the fault, and then waits (up to 10 minutes) until every
outbox row is final.

Scenarios:
  worker-kill   SIGKILL of one of the two workers and its children, 3 times (at 15 %, 35 %,
                55 % of the messages accepted), each followed by a restart; recovery is
                counted from the last kill
  redis-restart redis-server killed (nothing persisted: queue, reserved and scheduled tasks
                gone) and started empty 3 s later
  pg-restart    PostgreSQL stopped (fast) for 10 s and started again
  beat-restart  beat killed and started again 10 s later
  flaky         Twilio answers 20 % 500, 10 % 429 and takes 5 % then drops the connection,
                until every message was tried once; the fault ends when it turns healthy

lost = messages the fake never accepted; duplicated = acceptances beyond one per message;
stuck = rows not final at the end; recovery = seconds from the end of the fault until every
row is final.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import kombu.pools

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench import sending  # noqa: E402
from tests.chaos.scratch_postgres import ScratchPostgres, free_port  # noqa: E402
from tests.polling import wait_for  # noqa: E402

DB = "pq_chaos"
TEMPLATE = "pq_chaos_template"
SCENARIOS = ("worker-kill", "redis-restart", "pg-restart", "beat-restart", "flaky")
PATIENCE = 600


class Redis:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        import redis

        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", tempfile.gettempdir()],
            stdout=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Process:
    """A celery worker or beat in its own process group, its output in a log file."""

    def __init__(self, args: list[str], env: dict, log: Path) -> None:
        self.args, self.env, self.log = args, env, log
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", *self.args],
            cwd=ROOT, env=self.env, start_new_session=True,
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
        )  # fmt: skip

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def worker(n: int, env: dict, logs: Path) -> Process:
    return Process(
        ["worker", "--pool=prefork", "--concurrency=4", "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "-n", f"chaos{n}@localhost"],
        env, logs / f"worker{n}.log",
    )  # fmt: skip


def wait_ping(broker: str, names: set[str]) -> None:
    from celery import Celery

    with Celery(broker=broker, set_as_current=False) as app:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            replies = app.control.ping(timeout=0.5) or []
            if names <= {name for reply in replies for name in reply}:
                return
    raise RuntimeError(f"workers {names} did not answer")


def configure(pg: ScratchPostgres, redis: Redis) -> None:
    """The bench process's own Django: the scratch cluster, the private Redis."""
    os.environ.update(
        DATABASE_URL=f"{pg.url}/{DB}",
        REDIS_URL=redis.url,
        CHANNEL_BACKEND="messaging.channels.TwilioBackend",
        TWILIO_ACCOUNT_SID="AC" + "0" * 32,
        TWILIO_AUTH_TOKEN="bench-token-0123456789abcdef0123",
        TWILIO_MESSAGING_SERVICE_SID="",
        BASE_URL="https://queue.example.org",
        LOG_LEVEL="WARNING",
        # One practice's long code sends one text a second: the bench measures recovery, not
        # the carrier's pace (bench/sending_throughput.py measures that).
        SENDER_RATE_LIMITS="False",
        DEBUG="False",
        SECRET_KEY="bench-secret-key-" + "x" * 40,
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    import psycopg

    with psycopg.connect(f"{pg.url}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {DB}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{pg.url}/postgres", autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {DB} RENAME TO {TEMPLATE}")


def fresh_database(pg: ScratchPostgres) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{pg.url}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB} TEMPLATE {TEMPLATE}")


def seed(count: int) -> None:
    practice = sending.seed_practice(slug="chaos", languages=["en"])
    patients = sending.seed_consenting_patients(
        practice, count, first_name="Chaos", area_code="202"
    )
    sending.seed_due_confirmations(practice, patients)


def settled(count: int) -> bool:
    from django.db import DatabaseError, connections

    from queue_app.models import Message

    try:
        outbox = Message.objects.filter(direction="out")
        return outbox.count() >= count and not outbox.exclude(status__in=sending.FINAL).exists()
    except DatabaseError:
        connections.close_all()  # PostgreSQL restarting: connect afresh next time
        return False


def run(scenario: str, count: int, pg: ScratchPostgres, redis: Redis, logs: Path) -> dict:
    from celery import Celery
    from django.db import connections
    from django_celery_beat.models import PeriodicTask

    from queue_app.jobs import all_schedules, ensure_periodic_tasks
    from queue_app.models import Message
    from tests.messaging.fake_twilio import FakeTwilio

    fresh_database(pg)
    seed(count)
    # The delivery jobs only, at their production intervals (the others would add load).
    jobs = ("Sweep stale messages and webhook events", "Send due appointment reminders")
    PeriodicTask.objects.all().delete()
    ensure_periodic_tasks({name: all_schedules()[name] for name in jobs})
    fake = FakeTwilio().start()
    fake.delay = 0.02
    env = {**os.environ, "TWILIO_API_BASE": fake.url}
    workers = [worker(n, env, logs) for n in range(2)]
    beat = Process(
        ["beat", "--loglevel=WARNING", "--pidfile=", "--scheduler",
         "django_celery_beat.schedulers:DatabaseScheduler"],
        env, logs / "beat.log",
    )  # fmt: skip
    def accepted() -> int:
        return sum(fake.accepted_counts().values())

    try:
        for process in [*workers, beat]:
            process.start()
        wait_ping(redis.url, {"chaos0@localhost", "chaos1@localhost"})
        started = time.monotonic()
        with Celery(broker=redis.url, set_as_current=False) as app:
            app.send_task("messaging.tasks.send_due_reminders_task")
        fault_at = None
        if scenario == "worker-kill":
            for share in (0.15, 0.35, 0.55):
                wait_for(lambda share=share: accepted() >= count * share, PATIENCE)
                workers[0].kill()
                fault_at = time.monotonic()  # restarting it is part of the recovery
                in_flight = count - accepted()
                workers[0].start()
        elif scenario == "redis-restart":
            wait_for(lambda: accepted() >= count * 0.25, PATIENCE)
            redis.kill()
            time.sleep(3)
            redis.start()
            kombu.pools.reset()  # the bench's own pooled connections died with the server
        elif scenario == "pg-restart":
            wait_for(lambda: accepted() >= count * 0.25, PATIENCE)
            connections.close_all()
            pg.stop()
            time.sleep(10)
            pg.start()
        elif scenario == "beat-restart":
            wait_for(lambda: accepted() >= count * 0.25, PATIENCE)
            beat.kill()
            time.sleep(10)
            beat.start()
        elif scenario == "flaky":
            fake.flaky = {"500": 0.2, "429": 0.1, "drop": 0.05}
            wait_for(lambda: len(fake.posts) >= count, PATIENCE)
            fake.flaky = {}
        if fault_at is None:
            fault_at, in_flight = time.monotonic(), count - accepted()
        fake.delay = 0
        done = wait_for(lambda: settled(count), PATIENCE, interval=0.5)
        recovered = time.monotonic() - fault_at if done else None
    finally:
        for process in [*workers, beat]:
            process.kill()
        fake.stop()
    counts = fake.accepted_counts()
    codes = {str(c) for c in Message.objects.filter(direction="out").values_list("code", flat=True)}
    return {
        "scenario": scenario,
        "messages": len(codes),
        "unaccepted_at_fault_end": in_flight,
        "lost": len(codes - set(counts)),
        "duplicated": sum(n - 1 for n in counts.values() if n > 1),
        "stuck": Message.objects.filter(direction="out").exclude(status__in=sending.FINAL).count(),
        "recovery": recovered,
        "total": time.monotonic() - started,
        "load": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default=",".join(SCENARIOS))
    args = parser.parse_args()
    pg, redis = ScratchPostgres(), Redis()
    logs = Path(tempfile.mkdtemp(prefix="pq-chaos-logs-"))
    print(f"logs: {logs}", flush=True)
    try:
        pg.start()
        redis.start()
        configure(pg, redis)
        rows = []
        for scenario in args.only.split(","):
            for n in range(args.runs):
                result = run(scenario, args.messages, pg, redis, logs)
                rows.append(result)
                recovery = f"{result['recovery']:.0f} s" if result["recovery"] else "never"
                print(
                    f"{scenario} run {n + 1}: lost {result['lost']}, duplicated "
                    f"{result['duplicated']}, stuck {result['stuck']}, all final {recovery} "
                    f"after the fault ({result['unaccepted_at_fault_end']} not yet accepted "
                    f"when it ended; {result['total']:.0f} s in all, load "
                    f"{result['load']:.1f})",
                    flush=True,
                )
    finally:
        redis.kill()
        pg.remove()


if __name__ == "__main__":
    main()
