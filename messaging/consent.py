"""Consent for texts: a patient's STOP or START, from a keyword or a carrier's report."""

from datetime import datetime

from queue_app.audit import record_service_action
from queue_app.models import Consent, Message, Patient

# The named actor of what Twilio's webhooks cause (keywords, carrier errors).
WEBHOOK_SERVICE = "twilio-webhook"

# Replies the carriers' rules require; they go even to a number that just opted out.
COMPLIANCE_PURPOSES = ("opt_out_reply", "opt_in_reply", "help_reply")


def _record_sms_consent(
    *, practice_id: int, phone: str, granted: bool, now: datetime, source: str
) -> list[Patient]:
    """A consent row for every patient of the practice on this number, audited; the patients."""
    patients = list(Patient.objects.filter(practice_id=practice_id, phone=phone))
    Consent.objects.bulk_create(
        Consent(
            patient=patient,
            channel=Consent.Channel.SMS,
            granted=granted,
            recorded_at=now,
            source=source[:120],
        )
        for patient in patients
    )
    if patients:
        record_service_action(
            service=WEBHOOK_SERVICE,
            action="sms_opt_in" if granted else "sms_opt_out",
            practice=patients[0].practice,
            patient_ids=[p.pk for p in patients],
        )
    return patients


def record_opt_out(*, practice_id: int, phone: str, now: datetime, source: str) -> int:
    """Withdraw SMS consent for every patient of the practice on this number, at once."""
    patients = _record_sms_consent(
        practice_id=practice_id, phone=phone, granted=False, now=now, source=source
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
    return len(patients)


def record_opt_in(*, practice_id: int, phone: str, now: datetime, source: str) -> int:
    """Restore SMS consent for the patients on this number (a keyword from that number)."""
    patients = _record_sms_consent(
        practice_id=practice_id, phone=phone, granted=True, now=now, source=source
    )
    Patient.objects.filter(pk__in=[p.pk for p in patients]).update(opted_out_at=None, updated=now)
    return len(patients)
