"""A campaign's send, run by workers in batches: each patient's message goes into the outbox
like any other automated message, and at most once.

A large group is split into a few runs of patient ids, sent by workers side by side. Per
batch: who of the group may still get it (campaigns.audience), the channel rules
(`check_send_many`: consent, opt-out, quiet hours, which schedule the message for the
morning), the body rendered from the campaign's wording in the patient's language, then the
Message rows (purpose "campaign", keyed per campaign and patient) and their Recipient rows
(unique per campaign and patient) inserted at once, a key already taken skipped. The
outbox's worker then applies the per-patient limit of automated messages and the rules
again when it claims each one (messaging.delivery).
"""

import time
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Max, Q

from campaigns.audience import audience_ids, day_appointments, exclusions
from campaigns.models import Campaign, Recipient
from messaging.dispatch import enqueue_deliveries
from messaging.rate_limit import rate_of
from queue_app.models import Appointment, Message, Patient
from templates_lib.channel_rules import check_send_many
from templates_lib.rendering import MissingValueError, render
from templates_lib.values import appointment_values, practice_values

BATCH = 500
# A send that has made no outbox row for this long lost its task (a worker killed between two
# batches, a broker restart): it is taken up again from the start, the keys skipping whoever
# already has the message. A live part makes a batch's rows every few seconds.
STALLED_AFTER = timedelta(minutes=10)
# A large group is sent by a few workers at once, each over its own run of patient ids.
FAN_OUT = 4
MIN_PART = 1000


def plan_parts(*, campaign_id: int, now: datetime) -> list[tuple[int, int]]:
    """Split the group into up to FAN_OUT runs of patient ids, (after, upto], once per send:
    a second call (a redelivered task) plans nothing."""
    campaign = (
        Campaign.objects.select_related("practice")
        .filter(pk=campaign_id, status=Campaign.Status.SENDING, parts_left=None)
        .first()
    )
    if campaign is None:
        return []
    ids = audience_ids(campaign, now=now)
    count = max(1, min(FAN_OUT, len(ids) // MIN_PART))
    cuts = [ids[len(ids) * k // count - 1] for k in range(1, count)]
    bounds = [0, *cuts, ids[-1] if ids else 0]
    parts = list(zip(bounds, bounds[1:], strict=False))
    planned = Campaign.objects.filter(
        pk=campaign_id, status=Campaign.Status.SENDING, parts_left=None
    ).update(parts_left=len(parts))
    return parts if planned else []


def send_campaign(
    *,
    campaign_id: int,
    now: datetime,
    after: int = 0,
    upto: int | None = None,
    budget_seconds: float | None = None,
) -> tuple[int, int | None]:
    """Queue the campaign's messages to the patients with ids in (after, upto]; returns how
    many were queued and where to go on (None: this part is done, and when it was the last
    the campaign is marked sent). Safe to run twice, or beside itself."""
    started, queued, deliver = time.monotonic(), 0, []
    while True:
        ids, after = _send_batch(campaign_id, after, upto, now)
        queued, deliver = queued + len(ids), deliver + ids
        done = after is None
        if done or budget_seconds is not None and time.monotonic() - started > budget_seconds:
            break
    # Delivery starts once this run's rows are all made: delivery tasks queued batch by batch
    # took the CPU and the queue from the runs still making rows (the bench: 85 a second
    # instead of 280). A run that dies first leaves QUEUED rows, which the sweeper enqueues.
    enqueue_deliveries(deliver)
    if done:
        _part_done(campaign_id, now)
    return queued, after


def take_up_stalled_sends(*, now: datetime) -> list[int]:
    """The campaigns still sending that made no outbox row for STALLED_AFTER: each becomes one
    part over the whole group, to be sent again (`send_campaign` from the start)."""
    cutoff = now - STALLED_AFTER
    stalled = list(
        Campaign.objects.filter(status=Campaign.Status.SENDING, send_started_at__lt=cutoff)
        .annotate(last_row=Max("recipients__created"))
        .filter(Q(last_row__isnull=True) | Q(last_row__lt=cutoff))
        .values_list("pk", flat=True)
    )
    Campaign.objects.filter(pk__in=stalled, status=Campaign.Status.SENDING).update(
        parts_left=1, updated=now
    )
    return stalled


def message_key(campaign: Campaign, patient: Patient) -> str:
    return f"campaign-{campaign.pk}-{patient.pk}"


@transaction.atomic
def _send_batch(
    campaign_id: int, after: int, upto: int | None, now: datetime
) -> tuple[list[int], int | None]:
    """Make one batch's outbox rows; returns the ids of those to deliver now (QUEUED) and
    the last patient id seen (None: nothing left)."""
    # No lock on the campaign: parts run side by side; the unique keys keep each patient to
    # one message, and a campaign no longer sending stops here.
    campaign = (
        Campaign.objects.select_related("practice", "moment__practice")
        .filter(pk=campaign_id, status=Campaign.Status.SENDING)
        .first()
    )
    if campaign is None:
        return [], None
    ids = audience_ids(campaign, now=now, after=after, upto=upto, limit=BATCH)
    if not ids:
        return [], None
    patients = list(Patient.objects.filter(pk__in=ids).order_by("pk"))
    excluded = exclusions(campaign, patients)
    wanted = [p for p in patients if p.pk not in excluded]
    decisions = check_send_many(
        sends=[(p, campaign.moment) for p in wanted], channel="sms", now=now
    )
    appointments = _appointments(campaign, wanted, now)
    values = practice_values(campaign.practice)
    sender = campaign_sender(campaign.practice)
    messages = {}
    for patient, decision in zip(wanted, decisions, strict=True):
        if not decision.allowed and decision.not_before is None:
            continue
        appointment = appointments.get(patient.pk)
        message = _message(campaign, patient, decision, values, appointment, now, sender)
        if message is not None:
            messages[message.idempotency_key] = (patient, message)
    Message.objects.bulk_create([m for _, m in messages.values()], ignore_conflicts=True)
    stored = dict(
        Message.objects.filter(idempotency_key__in=messages).values_list("idempotency_key", "pk")
    )
    Recipient.objects.bulk_create(
        [
            Recipient(campaign=campaign, patient=patient, message_id=stored[key], created=now)
            for key, (patient, _) in messages.items()
        ],
        ignore_conflicts=True,
    )
    deliver = Message.objects.filter(
        pk__in=stored.values(), status=Message.Status.QUEUED
    ).values_list("pk", flat=True)
    return list(deliver), ids[-1]


def campaign_sender(practice) -> str:
    """The practice's fastest number: a short code carries 100 texts a second where its main
    long code carries one, so a large group goes out in minutes, not hours. Its main number
    when no other is faster."""
    numbers = [practice.phone, *practice.numbers.values_list("number", flat=True)]
    return max((n for n in numbers if n), key=rate_of, default=practice.phone)


def _appointments(
    campaign: Campaign, patients: list[Patient], now: datetime
) -> dict[int, Appointment]:
    """The first appointment of the day of each patient (an appointment-day campaign)."""
    if campaign.audience != Campaign.Audience.APPOINTMENT_DAY:
        return {}
    found: dict[int, Appointment] = {}
    rows = (
        day_appointments(campaign, now)
        .filter(patient_id__in=[p.pk for p in patients])
        .select_related("practice")
        .order_by("starts_at")
    )
    for appointment in rows:
        found.setdefault(appointment.patient_id, appointment)
    return found


def _message(
    campaign: Campaign,
    patient: Patient,
    decision,
    practice: dict[str, str],
    appointment: Appointment | None,
    now: datetime,
    sender: str,
) -> Message | None:
    language = patient.preferred_language
    values = {
        **practice,
        **appointment_values(appointment, language),
        "first_name": patient.first_name,
    }
    try:
        body = render(campaign.body_for(language), values)
    except MissingValueError:
        # A blank is never sent (a location not on file, say): the report counts it unsent.
        return None
    return Message(
        idempotency_key=message_key(campaign, patient),
        practice=campaign.practice,
        patient=patient,
        direction=Message.Direction.OUTBOUND,
        channel=Message.Channel.SMS,
        body=body,
        language=language,
        is_automatic=True,
        purpose=Message.CAMPAIGN,
        to_number=patient.phone,
        from_number=sender,
        created=now,
        **decision.outbox_state(),
    )


def _part_done(campaign_id: int, now: datetime) -> None:
    """One part fewer to send; the last one (or a send never split) marks the campaign sent."""
    sending = Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING)
    sending.filter(parts_left__gt=0).update(parts_left=F("parts_left") - 1)
    sending.filter(Q(parts_left=0) | Q(parts_left=None)).update(
        status=Campaign.Status.SENT, finished_at=now, updated=now
    )
