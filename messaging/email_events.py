"""The mail provider's delivery events (Mailgun's webhooks, docs/EMAIL.md): a permanent
bounce or a patient's complaint stops further email to that address.

Signed like the inbound webhook (HMAC of timestamp + token, each token once). A bounce
fails the message with a plain reason and hands it back to the people who can act on it
(messaging.failures); a complaint leaves the delivered message as it was and says why no
more email goes. Either way the address is suppressed for the practice: the channel rules
refuse every later email to it (templates_lib.channel_rules.email_refusal).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction

from messaging import outbound_email
from messaging.failures import surface_failure
from messaging.inbound_email import PROVIDER, EmailRefused
from messaging.models import EmailSuppression, SignatureToken
from queue_app.audit import record_service_action
from queue_app.events import record_item_event
from queue_app.models import Message

SERVICE = "email-events"
BOUNCED_REASON = (
    "The email to the patient could not be delivered: the address bounced. "
    "No more email goes to it; check the address with the patient."
)
COMPLAINED_REASON = "The patient reported our email as spam: no more email goes to this address."
# Statuses a bounce may still move to FAILED (a blocked or cancelled message never left).
BOUNCEABLE = (
    Message.Status.SENDING,
    Message.Status.UNKNOWN,
    Message.Status.SENT,
    Message.Status.DELIVERED,
)


@dataclass(frozen=True)
class EmailEvent:
    event: str  # Mailgun's "failed", "complained", "delivered", ...
    severity: str  # "permanent" or "temporary" for "failed"
    recipient: str
    message_id: str  # the email's Message-Id, as the provider reports it
    code: str = ""  # the receiving server's SMTP code for a bounce


def reason_of(event: EmailEvent) -> str:
    """The suppression this event calls for, or "" (temporary failures, other events)."""
    if event.event == "failed" and event.severity == "permanent":
        return EmailSuppression.Reason.BOUNCED
    if event.event == "complained":
        return EmailSuppression.Reason.COMPLAINED
    return ""


@transaction.atomic
def apply_event(*, event: EmailEvent, token: str, now: datetime) -> str:
    """Record one signed event once; returns what happened ("suppressed", "ignored", ...)."""
    try:
        with transaction.atomic():
            SignatureToken.objects.create(provider=PROVIDER, token=token[:100], received_at=now)
    except IntegrityError:
        raise EmailRefused(403, "replayed", "This signature was already used.") from None
    reason = reason_of(event)
    if not reason:
        return "ignored"
    sid = outbound_email.sid_of(event.message_id)
    message = (
        Message.objects.select_for_update(of=("self",))
        .select_related("practice", "patient")
        .filter(
            provider_sid=sid,
            direction=Message.Direction.OUTBOUND,
            channel=Message.Channel.EMAIL,
        )
        .first()
        if sid
        else None
    )
    if message is None:
        return "unknown"
    address = (event.recipient or (message.patient.email if message.patient else "")).strip()
    if address:
        EmailSuppression.objects.get_or_create(
            practice=message.practice,
            address=address.lower(),
            defaults={"reason": reason, "detail": event.code[:200], "created": now},
        )
    record_service_action(
        service=SERVICE,
        action=f"email_{reason}",
        practice=message.practice,
        patient_ids=[message.patient_id] if message.patient_id else [],
    )
    if reason == EmailSuppression.Reason.BOUNCED:
        _fail(message, now, code=event.code)
    else:
        Message.objects.filter(pk=message.pk).update(status_reason=COMPLAINED_REASON, updated=now)
        if message.item_id is not None:
            record_item_event(
                item=message.item_id,
                service=SERVICE,
                kind="email_complaint",
                after={"message": str(message.code), "reason": COMPLAINED_REASON},
                now=now,
            )
    return "suppressed"


def _fail(message: Message, now: datetime, *, code: str) -> None:
    changed = Message.objects.filter(pk=message.pk, status__in=BOUNCEABLE).update(
        status=Message.Status.FAILED,
        status_reason=BOUNCED_REASON[:200],
        error_code=code[:8],
        updated=now,
    )
    if not changed:
        return
    message.status = Message.Status.FAILED
    if message.item_id is not None:
        record_item_event(
            item=message.item_id,
            service=SERVICE,
            kind="message_failed",
            after={"message": str(message.code), "error_code": code[:8], "reason": BOUNCED_REASON},
            now=now,
        )
    surface_failure(message=message, reason=BOUNCED_REASON, now=now, opted_out=False)
