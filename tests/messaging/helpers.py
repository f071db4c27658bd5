"""Builders shared by the messaging tests."""

from datetime import UTC, datetime, timedelta
from itertools import count

from messaging import inbound
from queue_app.models import Message, Patient, Practice, WebhookEvent, WorkItem

# A Wednesday at noon in New York: inside business hours, outside quiet hours.
NOON = datetime(2026, 3, 4, 17, 0, tzinfo=UTC)
_serial = count(1)


def outbound(item: WorkItem, *, now: datetime = NOON, **overrides) -> Message:
    patient: Patient = item.patient
    fields = {
        "practice": item.practice,
        "item": item,
        "patient": patient,
        "direction": Message.Direction.OUTBOUND,
        "channel": Message.Channel.SMS,
        "body": f"Hi {patient.first_name}, this is the clinic. Test {next(_serial)}.",
        "language": patient.preferred_language,
        "to_number": patient.phone,
        "from_number": item.practice.phone,
        "status": Message.Status.QUEUED,
        "idempotency_key": f"test-{next(_serial)}-{now.timestamp()}",
        "created": now - timedelta(minutes=1),
    }
    fields.update(overrides)
    return Message.objects.create(**fields)


def receive_sms(practice: Practice, sender: str, body: str, now: datetime = NOON) -> WebhookEvent:
    """Store an inbound SMS webhook and process it as the worker would."""
    sid = f"SM{next(_serial):032d}"
    event = WebhookEvent.objects.create(
        kind="sms", sid=sid, path="/twilio/sms/", received_at=now,
        payload={"MessageSid": sid, "From": sender, "To": practice.phone, "Body": body},
    )  # fmt: skip
    assert inbound.process_webhook_event(event_id=event.pk, now=now) == "processed"
    return event
