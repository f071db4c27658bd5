"""What the sending benches share: the environment of the bench and its workers, a scratch
database made afresh for each run, the practice and patients it is seeded with, real Celery
workers against a fake Twilio, and the wait for the machine to settle between runs.

Import this before Django is set up: `configure` writes the environment settings read, and the
workers inherit it.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
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


@contextmanager
def fake_and_workers(workers: int, concurrency: int) -> Iterator:
    """A fake Twilio (tests/messaging/fake_twilio.py) and real workers sending to it, both
    stopped on the way out."""
    from tests.messaging.fake_twilio import FakeTwilio

    fake = FakeTwilio().start()
    try:
        procs = start_workers(fake.url, workers, concurrency)
        try:
            yield fake
        finally:
            stop_workers(procs)
    finally:
        fake.stop()


def what_the_fake_took(fake, count: int) -> dict:
    """Of `count` messages: POSTs accepted beyond one a message, messages never accepted, and
    every POST the fake answered."""
    accepted = fake.accepted_counts()
    return {
        "duplicates": sum(n - 1 for n in accepted.values() if n > 1),
        "never_accepted": count - len(accepted),
        "posts": fake.total_posts(),
    }


def settle(max_load: float, patience: float = 300) -> float:
    """Wait (a while) for the 1-minute load average to fall below max_load; returns it.

    A repeated run would otherwise start in the load its predecessor left behind.
    """
    deadline = time.monotonic() + patience
    while os.getloadavg()[0] >= max_load and time.monotonic() < deadline:
        time.sleep(5)
    return os.getloadavg()[0]


def seed_practice(*, slug: str, languages: list[str]):
    """The bench's practice, its quiet hours far from now: a run measures sending, not
    waiting for the morning."""
    from django.utils import timezone

    from queue_app.clock import zone
    from tests import factories

    practice = factories.make_practice(slug=slug, languages=languages)
    local = timezone.now().astimezone(zone(practice.timezone))
    practice.quiet_start = (local + timedelta(hours=6)).time().replace(second=0, microsecond=0)
    practice.quiet_end = (local + timedelta(hours=7)).time().replace(second=0, microsecond=0)
    practice.save()
    return practice


def seed_consenting_patients(
    practice, count: int, *, first_name: str, area_code: str, spanish_every: int = 0
) -> list:
    """`count` patients with SMS consent, numbered in their names, phones and external ids
    (every `spanish_every`th one, from the first, prefers Spanish)."""
    from django.utils import timezone

    from queue_app.models import Consent, Patient

    patients = Patient.objects.bulk_create(
        Patient(practice=practice, first_name=first_name, last_name=f"Patient{n}",
                phone=f"+1{area_code}{n:07d}", external_id=f"{first_name[0]}{n}",
                preferred_language="es" if spanish_every and n % spanish_every == 0 else "en")
        for n in range(count)
    )  # fmt: skip
    Consent.objects.bulk_create(
        Consent(patient=p, channel="sms", granted=True,
                recorded_at=timezone.now() - timedelta(days=9), source="bench intake form")
        for p in patients
    )  # fmt: skip
    return patients


def seed_due_confirmations(practice, patients: list) -> None:
    """An appointment for each patient in 50 hours, its 72-hour confirmation request due now:
    the rows sync_reminders makes (its per-appointment path is measured by the tests)."""
    from django.utils import timezone

    from queue_app.models import Appointment, Reminder

    now = timezone.now()
    start = now + timedelta(hours=50)
    appointments = Appointment.objects.bulk_create(
        Appointment(practice=practice, patient=p, provider_name="Dr. Huang", starts_at=start,
                    ends_at=start + timedelta(minutes=30), location="Suite 200")
        for p in patients
    )  # fmt: skip
    Reminder.objects.bulk_create(
        Reminder(appointment=a, kind="confirmation_request", offset_minutes=4320,
                 due_at=a.starts_at - timedelta(hours=72), created=now, updated=now)
        for a in appointments
    )  # fmt: skip
