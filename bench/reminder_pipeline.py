"""Reminders per second through the whole pipeline, and duplicates (target: ≥ 200/s, 0 dupes).

    .venv/bin/python bench/reminder_pipeline.py [--reminders 10000] [--workers 2]
        [--concurrency 8] [--write-docs]

It creates a scratch PostgreSQL database (pq_bench_reminders, dropped and recreated), seeds
one practice with N patients, each with an appointment whose confirmation request is due,
starts a local fake Twilio (tests/messaging/fake_twilio.py, the real twilio SDK talks to it
over HTTP) and real `celery -A config worker` processes on Redis. The clock starts when the
periodic job is enqueued, `send_due_reminders_task` as beat would send it: a worker turns
due reminders into outbox rows and enqueues one delivery task per message; workers claim,
re-check the channel rules and POST to the fake. The clock stops when every outbox row is
final. Duplicates = POSTs accepted beyond one per message.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB_NAME = "pq_bench_reminders"
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")
os.environ["CHANNEL_BACKEND"] = "queue_app.channels.TwilioBackend"
os.environ["TWILIO_ACCOUNT_SID"] = "AC" + "0" * 32
os.environ["TWILIO_AUTH_TOKEN"] = "bench-token-0123456789abcdef0123"
os.environ["BASE_URL"] = "https://queue.example.org"
os.environ["LOG_LEVEL"] = "WARNING"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def seed(count: int):
    from django.utils import timezone

    from queue_app.models import Appointment, Consent, Patient, Reminder
    from tests import factories

    now = timezone.now()
    practice = factories.make_practice(slug="bench", languages=["en", "es"])
    local = now.astimezone(__import__("zoneinfo").ZoneInfo(practice.timezone))
    # Quiet hours far from now, so the run measures sending, not waiting for morning.
    practice.quiet_start = (local + timedelta(hours=6)).time().replace(second=0, microsecond=0)
    practice.quiet_end = (local + timedelta(hours=7)).time().replace(second=0, microsecond=0)
    practice.save()
    patients = Patient.objects.bulk_create(
        Patient(practice=practice, first_name="Bench", last_name=f"Patient{n}",
                phone=f"+1202{n:07d}", preferred_language="es" if n % 4 == 0 else "en",
                external_id=f"B{n}")
        for n in range(count)
    )  # fmt: skip
    Consent.objects.bulk_create(
        Consent(patient=p, channel="sms", granted=True, recorded_at=now - timedelta(days=9),
                source="bench intake form")
        for p in patients
    )  # fmt: skip
    start = now + timedelta(hours=50)
    appointments = Appointment.objects.bulk_create(
        Appointment(practice=practice, patient=p, provider_name="Dr. Huang", starts_at=start,
                    ends_at=start + timedelta(minutes=30), location="Suite 200")
        for p in patients
    )  # fmt: skip
    # The rows sync_reminders makes (its per-appointment path is measured by the tests).
    Reminder.objects.bulk_create(
        Reminder(appointment=a, kind="confirmation_request", offset_minutes=4320,
                 due_at=a.starts_at - timedelta(hours=72), created=now, updated=now)
        for a in appointments
    )  # fmt: skip
    return practice


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


def run(count: int, workers: int, concurrency: int) -> dict:
    import django

    recreate_database()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    from queue_app.models import Message
    from queue_app.tasks import send_due_reminders_task
    from tests.messaging.fake_twilio import FakeTwilio

    seed(count)
    fake = FakeTwilio().start()
    procs = start_workers(fake.url, workers, concurrency)
    try:
        started = time.perf_counter()
        send_due_reminders_task.delay()
        final = ["sent", "delivered", "failed", "undelivered", "blocked", "cancelled"]
        queued_at = None
        while True:
            made = Message.objects.count()
            if made >= count and queued_at is None:
                queued_at = time.perf_counter() - started
            if made >= count and not Message.objects.exclude(status__in=final).exists():
                break
            if time.perf_counter() - started > 1800:
                raise RuntimeError("pipeline did not finish in 30 minutes")
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=60)
        fake.stop()
    accepted = fake.accepted_counts()
    return {
        "reminders": count,
        "workers": workers,
        "concurrency": concurrency,
        "seconds": elapsed,
        "rate": count / elapsed,
        "queued_seconds": queued_at,
        "sent": Message.objects.filter(status="sent").count(),
        "duplicates": sum(n - 1 for n in accepted.values() if n > 1),
        "never_accepted": count - len(accepted),
        "posts": fake.total_posts(),
    }


NOTES = """
Notes:

- Measured on the shared 2-CPU development VM while other test suites and benches ran
  (load average 9 to 16 during the run), so the rate is a floor, not the design's ceiling.
- The outbox rows are made by `send_due_reminders` at about 14 to 50 ms a reminder (the
  channel-rule check with its consent lookup, rendering, the message insert with its unique
  idempotency key, the reminder update), in batches of 100 taken with
  `SELECT … FOR UPDATE SKIP LOCKED`; the beat task fans out to 4 concurrent runs that share
  the backlog. Delivery keeps up with creation: end to end is a few seconds behind it.
- Each delivery costs 8 queries (claim, load, channel rule, consent, record) and 2 commits
  that must be durable before and after the call to Twilio: on this VM 5 ms a round trip.
- Below target: the next steps are bulk inserts of a batch's messages, one consent query per
  batch instead of per reminder, and more worker processes on a bigger host.
"""


def markdown(result: dict) -> str:
    return (
        "## Reminder pipeline\n\n"
        "`bench/reminder_pipeline.py`: due reminders → `send_due_reminders_task` (as beat sends "
        "it) → Redis → Celery workers → the real twilio SDK → a local fake Twilio over HTTP. "
        "One PostgreSQL, one Redis, all on this machine "
        f"({os.cpu_count()} CPUs); the clock runs from enqueuing the periodic job until every "
        "outbox row is final.\n\n"
        "| figure | value |\n| --- | --- |\n"
        f"| reminders | {result['reminders']:,} |\n"
        f"| workers × concurrency | {result['workers']} × {result['concurrency']} (prefork) |\n"
        f"| outbox rows created and queued | {result['queued_seconds']:.1f} s |\n"
        f"| end to end | {result['seconds']:.1f} s |\n"
        f"| **throughput** | **{result['rate']:.0f} messages/s** (target ≥ 200/s) |\n"
        f"| sent | {result['sent']:,} |\n"
        f"| POSTs to Twilio | {result['posts']:,} |\n"
        f"| duplicates (accepted twice) | {result['duplicates']} |\n"
        f"| never accepted | {result['never_accepted']} |\n" + NOTES
    )


def write_docs(section: str) -> None:
    path = ROOT / "docs" / "PERFORMANCE.md"
    text = path.read_text() if path.exists() else "# Performance\n"
    pattern = re.compile(r"## Reminder pipeline\n.*?(?=\n## |\Z)", re.S)
    if pattern.search(text):
        text = pattern.sub(section.rstrip("\n") + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    result = run(args.reminders, args.workers, args.concurrency)
    section = markdown(result)
    print(section)
    if args.write_docs:
        write_docs(section)


if __name__ == "__main__":
    main()
