"""Processing stored Twilio webhook events: one handler per kind, each run once per event.

The webhook views only validate, store and enqueue (messaging.webhooks); this is where a
stored event takes effect, in the worker. An event that fails is retried by the sweeper and
set aside as a dead letter after MAX_EVENT_ATTEMPTS, never looped on forever.
"""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F

from messaging import delivery, inbound_sms, reminders
from messaging.consent import WEBHOOK_SERVICE
from messaging.dispatch import enqueue_webhook_event
from queue_app.events import record_item_event
from queue_app.models import (
    DeadLetter,
    Message,
    Patient,
    PracticeNumber,
    WebhookEvent,
    WorkItem,
)
from queue_app.services import intake

logger = logging.getLogger(__name__)
SERVICE = WEBHOOK_SERVICE
MAX_EVENT_ATTEMPTS = 3
EVENT_RETRY_AFTER = timedelta(minutes=1)
VOICEMAIL_PLACEHOLDER = "Missed call. Voicemail and transcript follow when they arrive."


class EventNotReady(Exception):
    """The event depends on one not processed yet (a recording before its call)."""


def without_nul(value):
    """The same value with NUL characters dropped from every string in it."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    if isinstance(value, dict):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    return value


def store_event(
    *, kind: str, sid: str, status: str, payload: dict, path: str, signed: bool, now: datetime
) -> WebhookEvent | None:
    """Store a webhook as received and queue its processing; None when it is a replay."""
    # PostgreSQL text cannot hold NUL; a forged or garbled byte must not turn into a 500.
    payload = without_nul(payload)
    sid, status = without_nul(sid), without_nul(status)
    try:
        with transaction.atomic():
            event = WebhookEvent.objects.create(
                kind=kind,
                sid=sid[:64],
                status=status[:20],
                payload=payload,
                path=path[:200],
                signature_ok=signed,
                received_at=now,
            )
            enqueue_webhook_event(event.pk)
    except IntegrityError:
        return None
    return event


def process_webhook_event(*, event_id: int, now: datetime) -> str:
    """Apply one stored event once; concurrent or repeated runs find it taken or done."""
    try:
        with transaction.atomic():
            event = (
                WebhookEvent.objects.select_for_update(skip_locked=True)
                .filter(pk=event_id, processed_at__isnull=True)
                .first()
            )
            if event is None:
                return "skipped"
            HANDLERS[event.kind](event=event, now=now)
            WebhookEvent.objects.filter(pk=event_id).update(
                processed_at=now, attempts=F("attempts") + 1, last_error=""
            )
    except Exception as exc:
        WebhookEvent.objects.filter(pk=event_id).update(
            attempts=F("attempts") + 1, last_error=type(exc).__name__[:200]
        )
        attempts = WebhookEvent.objects.filter(pk=event_id).values_list("attempts", flat=True)
        if (attempts.first() or 0) >= MAX_EVENT_ATTEMPTS:
            delivery.dead_letter(
                kind=DeadLetter.Kind.WEBHOOK_EVENT,
                object_id=event_id,
                reason=f"processing failed {MAX_EVENT_ATTEMPTS} times: {type(exc).__name__}",
                now=now,
                attempts=MAX_EVENT_ATTEMPTS,
            )
        if isinstance(exc, EventNotReady):
            return "not-ready"
        logger.exception("webhook event %s failed", event_id)
        return "failed"
    return "processed"


def sweep_webhook_events(*, now: datetime) -> int:
    """Queue again events that were stored but never processed (worker down, broker lost)."""
    ids = list(
        WebhookEvent.objects.filter(
            processed_at__isnull=True,
            received_at__lt=now - EVENT_RETRY_AFTER,
            attempts__lt=MAX_EVENT_ATTEMPTS,
        ).values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        enqueue_webhook_event(pk)
    return len(ids)


def _status(*, event: WebhookEvent, now: datetime) -> None:
    data = event.payload
    delivery.apply_status_callback(
        sid=event.sid,
        status=event.status,
        error_code=str(data.get("ErrorCode") or ""),
        now=now,
        message_code=(data.get("_query") or {}).get("m", ""),
    )


def _sms(*, event: WebhookEvent, now: datetime) -> None:
    inbound_sms.handle_inbound_sms(event=event, now=now)


def handle_call(*, event: WebhookEvent, now: datetime) -> WorkItem | None:
    """An inbound call reached voicemail: a missed-call item, with callbacks scheduled."""

    data = event.payload
    number = PracticeNumber.objects.select_related("practice").filter(number=data.get("To")).first()
    if number is None:
        return None
    practice = number.practice
    patients = list(Patient.objects.filter(practice=practice, phone=data.get("From", ""))[:5])
    patient = patients[0] if len(patients) == 1 else None
    language = patient.preferred_language if patient else practice.languages[0]
    item = intake.create_item(
        practice=practice,
        patient=patient,
        moment=practice.moments.get(key="missed_call_callback"),
        channel=WorkItem.Channel.VOICEMAIL,
        words=VOICEMAIL_PLACEHOLDER,
        language=language,
        now=now,
        service=SERVICE,
    )
    Message.objects.create(
        practice=practice,
        item=item,
        patient=patient,
        direction=Message.Direction.INBOUND,
        channel=Message.Channel.VOICE,
        body=VOICEMAIL_PLACEHOLDER,
        language=language,
        from_number=str(data.get("From", ""))[:16],
        status=Message.Status.RECEIVED,
        provider_sid=event.sid,
        idempotency_key=f"call-{event.sid}",
        created=now,
    )
    if len(patients) > 1:
        record_item_event(
            item=item,
            service=SERVICE,
            kind="shared_number",
            after={"patients": len(patients)},
            now=now,
        )
    if patient is not None and patient.phone:
        reminders.schedule_callbacks(item=item, now=now)
    return item


def _call_message(event: WebhookEvent) -> Message:
    call_sid = event.payload.get("CallSid", "")
    message = Message.objects.select_related("item").filter(provider_sid=call_sid).first()
    if message is None:
        raise EventNotReady(f"call of {event.kind} not processed yet")
    return message


def handle_recording(*, event: WebhookEvent, now: datetime) -> None:
    """The voicemail recording: linked on the item for the person who calls back."""
    message = _call_message(event)
    url = str(event.payload.get("RecordingUrl", ""))
    duration = str(event.payload.get("RecordingDuration", ""))
    body = message.body if message.body != VOICEMAIL_PLACEHOLDER else "Voicemail left."
    Message.objects.filter(pk=message.pk).update(
        body=f"{body}\nRecording ({duration}s): {url}", updated=now
    )
    if message.item_id:
        record_item_event(
            item=message.item_id,
            service=SERVICE,
            kind="voicemail_recorded",
            after={"recording_sid": event.sid, "seconds": duration},
            now=now,
        )


def handle_transcription(*, event: WebhookEvent, now: datetime) -> None:
    """The transcript becomes the patient's words; triage reads it again."""

    message = _call_message(event)
    text = str(event.payload.get("TranscriptionText", "")).strip()
    if event.payload.get("TranscriptionStatus", "completed") != "completed" or not text:
        return
    Message.objects.filter(pk=message.pk).update(
        body=f"Voicemail transcript: {text}\n{message.body}", updated=now
    )
    item = message.item
    if item is None:
        return
    WorkItem.objects.filter(pk=item.pk).update(
        patient_words=text, version=F("version") + 1, updated=now
    )
    record_item_event(item=item, service=SERVICE, kind="transcript_added", now=now)
    item.refresh_from_db()
    intake.triage_follow_up(
        item=item, words=text, now=now, service=SERVICE, message_code=str(message.code)
    )


def _call(*, event: WebhookEvent, now: datetime) -> None:
    handle_call(event=event, now=now)


HANDLERS = {
    WebhookEvent.Kind.SMS: _sms,
    WebhookEvent.Kind.STATUS: _status,
    WebhookEvent.Kind.CALL: _call,
    WebhookEvent.Kind.RECORDING: handle_recording,
    WebhookEvent.Kind.TRANSCRIPTION: handle_transcription,
}
