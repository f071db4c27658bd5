"""Consent for texts: a patient's STOP or START, from a keyword or a carrier's report."""

import logging
from datetime import datetime

from queue_app.audit import record_service_action
from queue_app.models import (
    Consent,
    Message,
    Patient,
)

logger = logging.getLogger(__name__)


# The named actor of what Twilio's webhooks cause (keywords, carrier errors).
WEBHOOK_SERVICE = "twilio-webhook"

# Replies to keywords that carriers require; they go out even to an opted-out number.
# Replies the carriers' rules require; they go even to a number that just opted out.
COMPLIANCE_PURPOSES = ("opt_out_reply", "opt_in_reply", "help_reply")


def record_opt_out(*, practice_id: int, phone: str, now: datetime, source: str) -> int:
    """Withdraw SMS consent for every patient of the practice on this number, at once."""
    patients = list(Patient.objects.filter(practice_id=practice_id, phone=phone))
    for patient in patients:
        Consent.objects.create(
            patient=patient,
            channel=Consent.Channel.SMS,
            granted=False,
            recorded_at=now,
            source=source[:120],
        )
    Patient.objects.filter(pk__in=[p.pk for p in patients], opted_out_at__isnull=True).update(
        opted_out_at=now, updated=now
    )
    # Anything already waiting to go to this number stops here (the send-time check would
    # block it too; cancelling makes the outbox say so).
    Message.objects.filter(
        practice_id=practice_id,
        to_number=phone,
        direction=Message.Direction.OUTBOUND,
        status__in=[Message.Status.SCHEDULED, Message.Status.QUEUED],
    ).exclude(purpose__in=COMPLIANCE_PURPOSES).update(
        status=Message.Status.CANCELLED, status_reason="The patient opted out (STOP).", updated=now
    )
    if patients:
        record_service_action(
            service=WEBHOOK_SERVICE,
            action="sms_opt_out",
            practice=patients[0].practice,
            patient_ids=[p.pk for p in patients],
        )
    return len(patients)


def record_opt_in(*, practice_id: int, phone: str, now: datetime, source: str) -> int:
    """Restore SMS consent for the patients on this number (a keyword from that number)."""
    patients = list(Patient.objects.filter(practice_id=practice_id, phone=phone))
    for patient in patients:
        Consent.objects.create(
            patient=patient,
            channel=Consent.Channel.SMS,
            granted=True,
            recorded_at=now,
            source=source[:120],
        )
    Patient.objects.filter(pk__in=[p.pk for p in patients]).update(opted_out_at=None, updated=now)
    if patients:
        record_service_action(
            service=WEBHOOK_SERVICE,
            action="sms_opt_in",
            practice=patients[0].practice,
            patient_ids=[p.pk for p in patients],
        )
    return len(patients)
