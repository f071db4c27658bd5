"""Texts per second through the real claim path across many sending numbers, each kept under
its carrier's rate (target: ≥ 200/s, 0 duplicates, no number above its rate).

    .venv/bin/python bench/sending_throughput.py [--messages 10000] [--senders 1000]
        [--kind long|toll-free|short] [--workers 2] [--concurrency 8] [--max-load 3]
        [--no-limits]

It creates a scratch PostgreSQL database (pq_bench_sending, dropped and recreated), seeds
one practice with N consenting patients and one automated reminder each in the outbox
(QUEUED), sent from `--senders` numbers of one type in turn, starts a local fake Twilio
(tests/messaging/fake_twilio.py; the real twilio SDK talks to it over HTTP) and real
`celery -A config worker` processes with the senders' limits on (SENDER_RATE_LIMITS). The
clock starts when the deliveries are enqueued, 25 to a task as a reminder batch or a campaign
queues them, and stops when every row is final. From the fake's request log: duplicates
(POSTs accepted beyond one per message) and the most POSTs any number got in any 1-second
window, against its rate.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench import sending  # noqa: E402

sending.configure(database="pq_bench_sending", redis_db=10)
os.environ["SENDER_RATE_LIMITS"] = "True"


def sender_numbers(kind: str, count: int) -> list[str]:
    if kind == "short":
        return [str(10000 + n) for n in range(count)]
    if kind == "toll-free":
        return [f"+1800{n:07d}" for n in range(count)]
    return [f"+1202{n:07d}" for n in range(count)]


def seed(count: int, senders: list[str]) -> list[int]:
    from django.utils import timezone

    from queue_app.models import Message
    from templates_lib.services import approved_template
    from tests import factories

    now = timezone.now()
    practice = sending.seed_practice(slug="bench", languages=["en"])
    template = approved_template(
        moment=factories.moment(practice, "appointment_time_question"),
        language="en",
        channel="sms",
        purpose="confirmation_request",
    )
    # Not the senders' 202 numbers.
    patients = sending.seed_consenting_patients(
        practice, count, first_name="Bench", area_code="305"
    )
    messages = Message.objects.bulk_create(
        Message(practice=practice, patient=p, direction="out", channel="sms",
                body="Bench Clinic: please confirm your visit on Friday at 9:00. Reply C.",
                language="en", to_number=p.phone, from_number=senders[n % len(senders)],
                status="queued", template=template, is_automatic=True,
                purpose="confirmation_request", idempotency_key=f"bench-{n}",
                created=now)
        for n, p in enumerate(patients)
    )  # fmt: skip
    return [m.pk for m in messages]


def run(count: int, kind: str, senders: int, workers: int, concurrency: int, max_load: float):
    sending.fresh_database()
    from messaging.dispatch import enqueue_deliveries
    from messaging.rate_limit import rate_of
    from queue_app.models import Message

    numbers = sender_numbers(kind, senders)
    ids = seed(count, numbers)
    load = sending.settle(max_load)
    with sending.fake_and_workers(workers, concurrency) as fake:
        started = time.perf_counter()
        enqueue_deliveries(ids)
        while Message.objects.exclude(status__in=sending.FINAL).exists():
            if time.perf_counter() - started > 1800:
                raise RuntimeError("sending did not finish in 30 minutes")
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    return {
        "messages": count,
        "kind": kind,
        "senders": senders,
        "rate_per_sender": rate_of(numbers[0]),
        "load": load,
        "workers": workers,
        "concurrency": concurrency,
        "seconds": elapsed,
        "rate": count / elapsed,
        "sent": Message.objects.filter(status="sent").count(),
        **sending.what_the_fake_took(fake, count),
        "limits": os.environ["SENDER_RATE_LIMITS"],
        "most_in_a_second": max(fake.most_in_a_second(number) for number in numbers),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--senders", type=int, default=1_000)
    parser.add_argument("--kind", choices=["long", "toll-free", "short"], default="long")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    # The run waits (up to 5 minutes) for the load average to fall below this.
    parser.add_argument("--max-load", type=float, default=3.0)
    # The same run with the senders' limits off: what the limits cost.
    parser.add_argument("--no-limits", action="store_true")
    args = parser.parse_args()
    if args.no_limits:
        os.environ["SENDER_RATE_LIMITS"] = "False"
    result = run(
        args.messages, args.kind, args.senders, args.workers, args.concurrency, args.max_load
    )
    for key, value in result.items():
        print(f"{key}: {value:.2f}" if isinstance(value, float) else f"{key}: {value}")


if __name__ == "__main__":
    main()
