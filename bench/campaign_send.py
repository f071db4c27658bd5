"""A campaign to 10,000 seeded patients through real workers and the fake Twilio.

    .venv/bin/python bench/campaign_send.py [--patients 10000] [--workers 2] [--concurrency 8]
                                            [--short-code]

A scratch PostgreSQL database (pq_bench_campaigns, dropped and recreated) gets one practice
and N patients with a booked appointment on one day: every 20th opted out (STOP), every 25th
without SMS consent, every 50th without a number, a quarter Spanish speakers. An approved
campaign to that day is previewed, then sent as the Send button does (`start_sending`, which
queues `send_campaign_task`); real `celery -A config worker` processes on Redis make the
outbox rows in batches and deliver them to a local fake Twilio (tests/messaging/fake_twilio.py)
through the real twilio SDK. The clock runs from the click until every campaign message is
final. Checked from the fake's request log: messages per number (0 duplicates), none to an
opted-out, unconsented or missing number, and the preview's count against what was sent.

By default the senders' rate limits are off (as if the practice had many numbers). With
--short-code the practice registers a short code, the campaign goes out from it
(`campaign_sender`) and the workers run with the rate limits on: the figure is then the
carrier's pace (100 segments a second), and the fake's log shows the most texts the short code
sent in any one second.
"""

import argparse
import os
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench import sending  # noqa: E402

sending.configure(database="pq_bench_campaigns", redis_db=13)
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")


SHORT_CODE = "52712"


def seed(count: int, short_code: bool):
    from django.utils import timezone

    from campaigns import services
    from queue_app.clock import zone
    from queue_app.models import Appointment, Consent, Patient, Role
    from tests import factories
    from tests.campaigns.helpers import BODY_EN, BODY_ES

    now = timezone.now()
    practice = sending.seed_practice(slug="bench", languages=["en", "es"])
    local = now.astimezone(zone(practice.timezone))
    if short_code:
        practice.numbers.create(number=SHORT_CODE)
    patients = Patient.objects.bulk_create(
        Patient(practice=practice, first_name="Bench", last_name=f"Patient{n}",
                phone="" if n % 50 == 0 else f"+1202{n:07d}",
                preferred_language="es" if n % 4 == 1 else "en", external_id=f"B{n}",
                opted_out_at=now - timedelta(days=2) if n % 20 == 3 else None)
        for n in range(count)
    )  # fmt: skip
    Consent.objects.bulk_create(
        Consent(patient=p, channel="sms", granted=True, recorded_at=now - timedelta(days=9),
                source="bench intake form")
        for n, p in enumerate(patients) if n % 25 != 7
    )  # fmt: skip
    day: date = (local + timedelta(days=2)).date()
    start = datetime.combine(day, datetime.min.time(), zone(practice.timezone)) + timedelta(
        hours=9
    )
    Appointment.objects.bulk_create(
        Appointment(practice=practice, patient=p, provider_name="Dr. Huang",
                    starts_at=start + timedelta(minutes=10 * (n % 48)),
                    ends_at=start + timedelta(minutes=10 * (n % 48) + 10), location="Suite 200")
        for n, p in enumerate(patients)
    )  # fmt: skip
    writer = factories.make_user("bench-writer", practice, Role.MANAGER)
    approver = factories.make_user("bench-approver", practice, Role.ADMIN)
    campaign = services.create_campaign(
        practice=practice,
        fields={
            "name": "Bench flu shots",
            "moment": practice.moments.get(key="appointment_time_question"),
            "audience": "appointment_day",
            "appointment_date": day,
            "body_en": BODY_EN,
            "body_es": BODY_ES,
        },
        actor=writer,
        now=now,
    )
    services.approve_campaign(campaign=campaign, version=1, actor=approver, now=now)
    campaign.refresh_from_db()
    return campaign, approver


def run(count: int, workers: int, concurrency: int, short_code: bool) -> dict:
    sending.fresh_database()
    from django.utils import timezone

    from campaigns import audience, services
    from campaigns.models import Campaign
    from queue_app.models import Message, Patient

    campaign, approver = seed(count, short_code)
    t0 = time.perf_counter()
    preview = audience.preview(campaign, timezone.now())
    preview_seconds = time.perf_counter() - t0
    load = sending.settle(3.0, patience=60)
    os.environ["SENDER_RATE_LIMITS"] = str(short_code)  # the workers inherit it
    with sending.fake_and_workers(workers, concurrency) as fake:
        started = time.perf_counter()
        services.start_sending(campaign=campaign, actor=approver, now=timezone.now())
        queued_at = None
        messages = Message.objects.filter(purpose="campaign")
        while True:
            status = Campaign.objects.values_list("status", flat=True).get(pk=campaign.pk)
            if status == "sent" and queued_at is None:
                queued_at = time.perf_counter() - started
            if status == "sent" and not messages.exclude(status__in=sending.FINAL).exists():
                break
            if time.perf_counter() - started > 1800:
                raise RuntimeError("the campaign did not finish in 30 minutes")
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    numbers = [m["to"] for taken in fake.accepted.values() for m in taken]
    refused = set(
        Patient.objects.filter(opted_out_at__isnull=False).values_list("phone", flat=True)
    ) | {f"+1202{n:07d}" for n in range(count) if n % 25 == 7}
    sent = messages.filter(status="sent").count()
    senders = sorted({sender for _, sender in fake.sends})
    return {
        "limits": os.environ["SENDER_RATE_LIMITS"],
        "senders": ", ".join(senders),
        "most_in_a_second": max((fake.most_in_a_second(s) for s in senders), default=0),
        "patients": count,
        "eligible": preview.eligible,
        "excluded": preview.excluded,
        "preview_seconds": preview_seconds,
        "load": load,
        "seconds": elapsed,
        "queued_seconds": queued_at,
        "rate": sent / elapsed,
        "sent": sent,
        "accepted": len(numbers),
        "duplicates": len(numbers) - len(set(numbers)),
        "to_refused": len(set(numbers) & refused),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--short-code", action="store_true", help="from a short code, limits on")
    args = parser.parse_args()
    result = run(args.patients, args.workers, args.concurrency, args.short_code)
    for key, value in result.items():
        print(f"{key}: {value:.2f}" if isinstance(value, float) else f"{key}: {value}")


if __name__ == "__main__":
    main()
