"""Retention at a frozen `now`: the practice's policy decides what goes; audit rows stay."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import DatabaseError, transaction
from django_celery_beat.models import PeriodicTask

from queue_app import retention
from queue_app.events import record_item_event
from queue_app.models import AuditEvent, ItemEvent, Message, WebhookEvent
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def dev_outbox_row(item, *, days_old: int) -> Message:
    return factories.make_message(
        item,
        status=Message.Status.SENT,
        provider_sid=f"OB{days_old:030d}{item.pk:02d}",
        to_number=item.patient.phone,
        created=NOW - timedelta(days=days_old),
    )


def webhook(practice, *, days_old: int, processed: bool = True) -> WebhookEvent:
    when = NOW - timedelta(days=days_old)
    return WebhookEvent.objects.create(
        kind="sms",
        sid=f"SM{days_old:032d}{int(processed)}",
        path="/twilio/sms/",
        received_at=when,
        processed_at=when if processed else None,
        payload={"MessageSid": "SMx", "From": "+15005550142", "To": practice.phone, "Body": "hi"},
    )


def test_old_dev_outbox_rows_lose_body_and_number_recent_ones_stay(practice_a, item):
    old, recent = dev_outbox_row(item, days_old=31), dev_outbox_row(item, days_old=29)
    twilio_sent = factories.make_message(
        item,
        status=Message.Status.SENT,
        provider_sid="SM" + "1" * 32,
        created=NOW - timedelta(days=90),
    )

    counts = retention.apply_retention(now=NOW)

    assert counts["outbox"] == 1
    old.refresh_from_db(), recent.refresh_from_db(), twilio_sent.refresh_from_db()
    assert (old.body, old.to_number, old.status) == (retention.REMOVED, "", Message.Status.SENT)
    assert recent.body != retention.REMOVED and twilio_sent.body != retention.REMOVED
    assert retention.apply_retention(now=NOW)["outbox"] == 0


def test_the_practice_policy_sets_the_days(practice_a, item):
    practice_a.retention = {"outbox_days": 7, "webhook_payloads_days": 400}
    practice_a.save()
    row = dev_outbox_row(item, days_old=8)
    event = webhook(practice_a, days_old=60)

    counts = retention.apply_retention(now=NOW)

    row.refresh_from_db(), event.refresh_from_db()
    assert row.body == retention.REMOVED
    assert counts["webhook_payloads"] == 0 and event.payload["Body"] == "hi"


def test_bad_policy_values_fall_back_to_the_defaults(practice_a):
    practice_a.retention = {"outbox_days": "7", "webhook_payloads_days": 0, "other": 1}
    assert retention.policy_for(practice_a) == retention.DEFAULTS


def test_processed_webhook_payloads_keep_ids_and_lose_numbers_and_words(practice_a):
    old, recent = webhook(practice_a, days_old=31), webhook(practice_a, days_old=2)
    unprocessed = webhook(practice_a, days_old=40, processed=False)

    assert retention.apply_retention(now=NOW)["webhook_payloads"] == 1

    old.refresh_from_db(), recent.refresh_from_db(), unprocessed.refresh_from_db()
    assert old.payload == {"MessageSid": "SMx", "Redacted": True}
    assert recent.payload["Body"] == "hi" and unprocessed.payload["Body"] == "hi"
    audit = AuditEvent.objects.get(action="retention_applied", practice=practice_a)
    assert audit.service == "retention" and "webhook payloads 1" in audit.detail


def test_expired_sessions_are_deleted_live_ones_kept():
    for key, expires in (
        ("expired", NOW - timedelta(minutes=1)),
        ("live", NOW + timedelta(hours=1)),
    ):
        Session.objects.create(
            session_key=key, session_data=SessionStore().encode({}), expire_date=expires
        )

    assert retention.apply_retention(now=NOW)["sessions"] == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


def test_the_audit_trails_are_never_purged(practice_a, item):
    record_item_event(item=item, kind="created", now=NOW - timedelta(days=3000), service="t")
    AuditEvent.objects.create(
        service="t", action="item_view", practice=practice_a, created=NOW - timedelta(days=3000)
    )
    before = (AuditEvent.objects.count(), ItemEvent.objects.count())
    dev_outbox_row(item, days_old=400)

    retention.apply_retention(now=NOW)

    assert AuditEvent.objects.filter(action="item_view").count() == 1
    assert ItemEvent.objects.count() == before[1]
    # And the database itself refuses a purge of the trail, whatever the code.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(action="item_view").delete()


def test_retention_runs_daily_from_the_stored_schedule():
    task = PeriodicTask.objects.get(task="queue_app.tasks.apply_retention_task")
    assert (task.interval.every, task.interval.period) == (86400, "seconds")
