"""Retention: what each practice's policy says may go, goes; the audit trails never do.

Run daily (queue_app.schedules). Each kind of data is kept `policy_for(practice)[kind]` days:

- `outbox_days`: the dev outbox's rows (messages the OutboxBackend "sent", which never left
  the machine) keep their status and times; the body and number are removed.
- `webhook_payloads_days`: a processed Twilio webhook keeps its ids and statuses (so a replay
  is still recognised and refused); the phone numbers and words in its payload are removed.
- expired sign-in sessions are deleted (not a practice's data: Django's own table).
- `drafts_days`: reply drafts, once that model exists (branch `drafts`), join here.

AuditEvent and ItemEvent are never touched: PostgreSQL refuses it anyway (migration 0003).
Every pass is a conditional update of rows not yet removed, so a second run changes nothing.
"""

from datetime import datetime, timedelta

from django.contrib.sessions.models import Session
from django.db.models import Q

from queue_app.audit import record_service_action
from queue_app.models import Message, Practice, PracticeNumber, WebhookEvent

DEFAULTS = {"outbox_days": 30, "webhook_payloads_days": 30, "drafts_days": 90}
REMOVED = "(removed under the practice's retention policy)"
# What a redacted webhook keeps: ids and statuses, nothing about a person.
KEPT_KEYS = (
    "AccountSid", "MessageSid", "SmsSid", "CallSid", "RecordingSid", "TranscriptionSid",
    "MessageStatus", "SmsStatus", "CallStatus", "ErrorCode",
)  # fmt: skip
BATCH = 1000
SERVICE = "retention"


def policy_for(practice: Practice) -> dict[str, int]:
    """The practice's retention days, a positive whole number per kind, else the default."""
    policy = dict(DEFAULTS)
    for kind, days in (practice.retention or {}).items():
        if kind in policy and isinstance(days, int) and not isinstance(days, bool) and days > 0:
            policy[kind] = days
    return policy


def apply_retention(*, now: datetime) -> dict[str, int]:
    """Apply every practice's policy at `now`; returns how many rows of each kind changed."""
    counts = {"outbox": 0, "webhook_payloads": 0, "sessions": 0}
    for practice in Practice.objects.order_by("pk"):
        policy = policy_for(practice)
        outbox = anonymise_dev_outbox(
            practice=practice, before=now - timedelta(days=policy["outbox_days"])
        )
        numbers = practice_numbers(practice)
        payloads = redact_webhook_payloads(
            numbers=Q(payload__To__in=numbers) | Q(payload__From__in=numbers),
            before=now - timedelta(days=policy["webhook_payloads_days"]),
        )
        if outbox or payloads:
            record_service_action(
                service=SERVICE,
                action="retention_applied",
                practice=practice,
                detail=f"dev outbox rows {outbox}, webhook payloads {payloads}",
            )
        counts["outbox"] += outbox
        counts["webhook_payloads"] += payloads
    # Webhooks to no practice's number (a number since removed): the default policy.
    known = practice_numbers(None)
    counts["webhook_payloads"] += redact_webhook_payloads(
        numbers=~(Q(payload__To__in=known) | Q(payload__From__in=known)),
        before=now - timedelta(days=DEFAULTS["webhook_payloads_days"]),
    )
    counts["sessions"] = Session.objects.filter(expire_date__lt=now).delete()[0]
    return counts


def practice_numbers(practice: Practice | None) -> list[str]:
    """The phone numbers of one practice, or of every practice."""
    practices = Practice.objects.all() if practice is None else [practice]
    numbers = PracticeNumber.objects.all()
    if practice is not None:
        numbers = numbers.filter(practice=practice)
    own = [p.phone for p in practices if p.phone]
    return own + list(numbers.values_list("number", flat=True))


def anonymise_dev_outbox(*, practice: Practice, before: datetime) -> int:
    """Remove body and number of the practice's dev-outbox messages created before `before`."""
    return (
        Message.objects.filter(
            practice=practice,
            direction=Message.Direction.OUTBOUND,
            provider_sid__startswith="OB",
            created__lt=before,
        )
        .exclude(body=REMOVED)
        .update(body=REMOVED, to_number="")
    )


def redact_webhook_payloads(*, numbers: Q, before: datetime) -> int:
    """Keep only ids and statuses of processed webhooks received before `before`."""
    changed = 0
    events = (
        WebhookEvent.objects.filter(numbers, processed_at__isnull=False, received_at__lt=before)
        .exclude(payload__has_key="Redacted")
        .order_by("pk")
    )
    while batch := list(events.only("pk", "payload")[:BATCH]):
        for event in batch:
            kept = {key: event.payload[key] for key in KEPT_KEYS if key in event.payload}
            event.payload = {**kept, "Redacted": True}
        changed += WebhookEvent.objects.bulk_update(batch, ["payload"])
    return changed
