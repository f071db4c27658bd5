"""The daily inbound reconciliation: a text Twilio holds but the webhook never brought is filed
once, through the webhook's own path, against the fake Twilio's Messages list over HTTP."""

from datetime import timedelta

import pytest
from celery import current_app
from django.utils import timezone

from escalation.triage import triage
from messaging import inbound, reconcile
from messaging.schedules import SCHEDULE
from queue_app.models import AuditEvent, Message, WebhookEvent, WorkItem

WORDS = "Hi, I need a refill of my blood pressure pills please"


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


def run_worker() -> None:
    """Process what the reconciliation queued, as the worker would (once per stored event)."""
    for event in WebhookEvent.objects.filter(processed_at__isnull=True).order_by("pk"):
        assert inbound.process_webhook_event(event_id=event.pk, now=timezone.now()) == "processed"


def reconcile_and_process(django_capture_on_commit_callbacks, now) -> dict:
    with django_capture_on_commit_callbacks(execute=False) as captured:
        counts = reconcile.reconcile_inbound(now=now)
    assert len(captured) == counts["recovered"]  # one processing task queued per filed text
    run_worker()
    return counts


def test_a_text_the_webhook_never_brought_is_filed_once_and_triaged(
    db, fake_twilio, practice_a, patient, now, django_capture_on_commit_callbacks
):
    missed = fake_twilio.receive(
        to=practice_a.phone, from_=patient.phone, body=WORDS, sent=now - timedelta(hours=3)
    )

    counts = reconcile_and_process(django_capture_on_commit_callbacks, now)

    assert counts["recovered"] == 1 and counts["failed"] == 0
    message = Message.objects.get(provider_sid=missed)
    assert message.direction == Message.Direction.INBOUND and message.body == WORDS
    assert message.patient == patient
    # Triaged like any inbound text: an item in the lane triage picks, in the patient's queue.
    item = WorkItem.objects.get(pk=message.item_id)
    assert item.patient == patient and item.channel == "sms"
    assert item.patient_words == WORDS
    assert item.moment.key == triage(WORDS).lane
    recorded = AuditEvent.objects.get(service=reconcile.SERVICE, practice=practice_a)
    assert recorded.action == "inbound_recovered" and recorded.detail.startswith("1 texts")
    assert WORDS not in recorded.detail

    again = reconcile_and_process(django_capture_on_commit_callbacks, now + timedelta(hours=1))

    assert again["recovered"] == 0 and again["listed"] == 1
    assert Message.objects.filter(provider_sid=missed).count() == 1
    assert WorkItem.objects.filter(patient=patient).count() == 1
    assert AuditEvent.objects.filter(service=reconcile.SERVICE).count() == 1


def test_a_text_the_webhook_brought_is_not_filed_again(
    db, fake_twilio, practice_a, patient, now, django_capture_on_commit_callbacks
):
    sid = fake_twilio.receive(
        to=practice_a.phone, from_=patient.phone, body=WORDS, sent=now - timedelta(hours=1)
    )
    payload = {"MessageSid": sid, "From": patient.phone, "To": practice_a.phone, "Body": WORDS}
    with django_capture_on_commit_callbacks(execute=False):
        event = inbound.store_event(
            kind="sms", sid=sid, status="", payload=payload, path="/twilio/sms/", signed=True,
            now=now,
        )  # fmt: skip
    assert inbound.process_webhook_event(event_id=event.pk, now=now) == "processed"

    counts = reconcile_and_process(django_capture_on_commit_callbacks, now)

    assert counts == {"numbers": 1, "listed": 1, "recovered": 0, "failed": 0}
    assert Message.objects.filter(provider_sid=sid).count() == 1
    assert WebhookEvent.objects.filter(sid=sid).count() == 1
    assert WorkItem.objects.count() == 1


def test_only_the_practices_own_recent_inbound_texts_are_read(
    db, fake_twilio, practice_a, practice_b, patient, now, django_capture_on_commit_callbacks
):
    old = fake_twilio.receive(
        to=practice_a.phone, from_=patient.phone, body="old", sent=now - timedelta(days=3)
    )
    other = fake_twilio.receive(
        to=practice_b.phone, from_="+12025550199", body=WORDS, sent=now - timedelta(hours=2)
    )

    counts = reconcile_and_process(django_capture_on_commit_callbacks, now)

    assert counts["recovered"] == 1
    assert not Message.objects.filter(provider_sid=old).exists()
    filed = Message.objects.get(provider_sid=other)
    assert filed.practice == practice_b and filed.patient is None
    assert WorkItem.objects.get(pk=filed.item_id).practice == practice_b


def test_twilio_down_files_nothing_and_the_next_run_catches_up(
    db, fake_twilio, practice_a, patient, now, django_capture_on_commit_callbacks
):
    sid = fake_twilio.receive(
        to=practice_a.phone, from_=patient.phone, body=WORDS, sent=now - timedelta(hours=2)
    )
    fake_twilio.fail_lists = True

    counts = reconcile_and_process(django_capture_on_commit_callbacks, now)

    assert counts["failed"] == 1 and counts["recovered"] == 0
    assert not WebhookEvent.objects.exists()

    fake_twilio.fail_lists = False
    assert reconcile_and_process(django_capture_on_commit_callbacks, now)["recovered"] == 1
    assert Message.objects.filter(provider_sid=sid).count() == 1


def test_the_reconciliation_runs_daily_under_its_registered_name():
    name = "messaging.reconcile_tasks.reconcile_inbound_task"
    assert (name, 86400) in SCHEDULE.values()
    assert current_app.tasks[name].name == name
