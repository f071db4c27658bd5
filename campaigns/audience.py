"""Who a campaign is for, and why each patient of that group would not get it.

The group is read when the campaign is previewed or sent (`now`): the patients with a booked
appointment on a day, those on an uploaded list, or those overdue for a visit (their last
completed appointment more than N months before today, in the practice's time zone, and
nothing booked from now on; both with the named provider when there is one).

The preview and the send read the same rules, in the same order, so the preview's counts
are what the send does: a patient already reached by the campaign, without a number, opted
out (STOP), without SMS consent on record, or without wording in their language is left
out. Quiet hours leave nobody out: the message waits for the morning.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Max, QuerySet

from campaigns.models import Campaign, Recipient
from campaigns.recurrence import add_months
from queue_app.clock import QuietHours, next_allowed_send, zone
from queue_app.models import Appointment, Patient
from templates_lib.channel_rules import consented_patients
from templates_lib.models import ChannelRule

ALREADY_REACHED = "Already reached by this campaign"
NO_NUMBER = "No mobile number on file"
OPTED_OUT = "Opted out of texts (STOP)"
NO_CONSENT = "No SMS consent on record"
NO_WORDING = "No wording in their language"
REASONS = (ALREADY_REACHED, NO_NUMBER, OPTED_OUT, NO_CONSENT, NO_WORDING)
# A pasted or uploaded list longer than this is a mistake, not a campaign.
MAX_MRNS = 20_000
MAX_MRN_LENGTH = 64


def audience(campaign: Campaign, now: datetime) -> QuerySet[Patient]:
    """The campaign's group, in id order (the send walks it in batches)."""
    patients = Patient.objects.filter(practice_id=campaign.practice_id)
    if campaign.audience == Campaign.Audience.MRN_LIST:
        return patients.filter(external_id__in=campaign.mrns).order_by("pk")
    if campaign.audience == Campaign.Audience.OVERDUE_RECALL:
        return patients.filter(
            pk__in=overdue_patient_ids(campaign, now).values("patient_id")
        ).order_by("pk")
    ids = day_appointments(campaign, now).values("patient_id")
    return patients.filter(pk__in=ids).order_by("pk")


def audience_ids(
    campaign: Campaign,
    *,
    now: datetime,
    after: int = 0,
    upto: int | None = None,
    limit: int | None = None,
) -> list[int]:
    """The group's patient ids in (after, upto], in order, read from the appointments (or the
    list) themselves: `audience` narrowed to a range of ids let PostgreSQL pick a nested loop
    over the day's appointments per patient when its statistics were stale (18 s a batch
    after a bulk import)."""
    if campaign.audience == Campaign.Audience.MRN_LIST:
        field = "pk"
        rows = Patient.objects.filter(
            practice_id=campaign.practice_id, external_id__in=campaign.mrns
        )
    elif campaign.audience == Campaign.Audience.OVERDUE_RECALL:
        field = "patient_id"
        rows = overdue_patient_ids(campaign, now)
    else:
        field = "patient_id"
        rows = day_appointments(campaign, now).distinct()
    rows = rows.filter(**{f"{field}__gt": after})
    if upto is not None:
        rows = rows.filter(**{f"{field}__lte": upto})
    rows = rows.order_by(field).values_list(field, flat=True)
    return list(rows[:limit] if limit else rows)


def appointment_day(campaign: Campaign, now: datetime) -> date:
    """The campaign's day; for a recurring campaign (previewed), `days_ahead` after today."""
    if campaign.appointment_date is not None:
        return campaign.appointment_date
    today = now.astimezone(zone(campaign.practice.timezone)).date()
    return today + timedelta(days=campaign.days_ahead or 0)


def day_appointments(campaign: Campaign, now: datetime) -> QuerySet[Appointment]:
    """Booked appointments on the campaign's day (the practice's local day), with its provider
    when one is named."""
    tz = zone(campaign.practice.timezone)
    start = datetime.combine(appointment_day(campaign, now), time.min, tzinfo=tz)
    appointments = Appointment.objects.filter(
        practice_id=campaign.practice_id,
        status=Appointment.Status.BOOKED,
        starts_at__gte=start,
        starts_at__lt=start + timedelta(days=1),
    )
    return _with_provider(appointments, campaign)


def overdue_patient_ids(campaign: Campaign, now: datetime) -> QuerySet[Appointment]:
    """The patients (as `patient_id` rows) whose last completed visit began before the start
    of the day `recall_months` ago and who have nothing booked from `now` on. A patient who
    never completed a visit is not overdue: a recall is for patients the practice has seen."""
    tz = zone(campaign.practice.timezone)
    cutoff_day = add_months(now.astimezone(tz).date(), -campaign.recall_months)
    cutoff = datetime.combine(cutoff_day, time.min, tzinfo=tz)
    appointments = _with_provider(
        Appointment.objects.filter(practice_id=campaign.practice_id), campaign
    )
    booked = appointments.filter(status=Appointment.Status.BOOKED, starts_at__gte=now)
    return (
        appointments.filter(status=Appointment.Status.COMPLETED)
        .exclude(patient_id__in=booked.values("patient_id"))
        .values("patient_id")
        .annotate(last_visit=Max("starts_at"))
        .filter(last_visit__lt=cutoff)
    )


def _with_provider(
    appointments: QuerySet[Appointment], campaign: Campaign
) -> QuerySet[Appointment]:
    if campaign.provider_name:
        return appointments.filter(provider_name__iexact=campaign.provider_name.strip())
    return appointments


def sms_rule(campaign: Campaign) -> ChannelRule | None:
    return ChannelRule.objects.filter(moment_id=campaign.moment_id, channel="sms").first()


def exclusions(campaign: Campaign, patients: list[Patient]) -> dict[int, str]:
    """Why each of these patients would not get the campaign, by id; the rest will."""
    ids = [p.pk for p in patients]
    reached = set(
        Recipient.objects.filter(campaign=campaign, patient_id__in=ids).values_list(
            "patient_id", flat=True
        )
    )
    rule = sms_rule(campaign)
    needs_consent = rule is None or rule.consent_required
    consented = consented_patients(ids, "sms") if needs_consent else set(ids)
    excluded = {}
    for patient in patients:
        if patient.pk in reached:
            excluded[patient.pk] = ALREADY_REACHED
        elif not patient.phone:
            excluded[patient.pk] = NO_NUMBER
        elif patient.opted_out_at:
            excluded[patient.pk] = OPTED_OUT
        elif patient.pk not in consented:
            excluded[patient.pk] = NO_CONSENT
        elif not campaign.body_for(patient.preferred_language).strip():
            excluded[patient.pk] = NO_WORDING
    return excluded


@dataclass
class Preview:
    total: int = 0
    eligible: int = 0
    excluded: dict[str, int] = field(default_factory=dict)
    # SMS not allowed for the campaign's moment: nobody gets it.
    refusal: str = ""
    # Quiet hours now: what goes waits until then.
    waits_until: datetime | None = None
    by_language: dict[str, int] = field(default_factory=dict)


def preview(campaign: Campaign, now: datetime) -> Preview:
    """How many of the group will get the campaign if it is sent now, and why the others
    will not (counts only: the page shows no patient)."""
    patients = list(
        audience(campaign, now).only("pk", "phone", "opted_out_at", "preferred_language")
    )
    result = Preview(total=len(patients), excluded=dict.fromkeys(REASONS, 0))
    rule = sms_rule(campaign)
    if rule is None or not rule.allowed:
        result.refusal = f"SMS is not allowed for the moment “{campaign.moment.key}”."
        return result
    excluded = exclusions(campaign, patients)
    for reason in excluded.values():
        result.excluded[reason] += 1
    for patient in patients:
        if patient.pk not in excluded:
            language = patient.preferred_language
            result.by_language[language] = result.by_language.get(language, 0) + 1
    result.eligible = len(patients) - len(excluded)
    if rule.respects_quiet_hours:
        practice = campaign.practice
        quiet = QuietHours(start=practice.quiet_start, end=practice.quiet_end)
        allowed = next_allowed_send(now, zone(practice.timezone), quiet)
        result.waits_until = allowed if allowed > now else None
    return result


def parse_mrns(text: str, *, practice_id: int) -> tuple[list[str], list[tuple[int, str]]]:
    """The MRNs of an uploaded list (one a line, first column, an optional header), and each
    refused line with why: blank, too long, repeated, or no patient of the practice."""
    mrns: list[str] = []
    refused: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        value = row[0].strip() if row else ""
        if number == 1 and value.lower() in ("mrn", "external_id", "medical record number"):
            continue
        if not value:
            if any(cell.strip() for cell in row):
                refused.append((number, "the first column (the MRN) is empty"))
            continue
        if len(value) > MAX_MRN_LENGTH:
            refused.append((number, f"longer than {MAX_MRN_LENGTH} characters"))
        elif value in seen:
            refused.append((number, f"the same MRN as line {seen[value]}"))
        else:
            seen[value] = number
            mrns.append(value)
    if len(mrns) > MAX_MRNS:
        return [], [(MAX_MRNS + 1, f"more than {MAX_MRNS} MRNs in one list")]
    known = set(
        Patient.objects.filter(practice_id=practice_id, external_id__in=mrns).values_list(
            "external_id", flat=True
        )
    )
    refused += [
        (seen[mrn], "no patient of this practice has this MRN") for mrn in mrns if mrn not in known
    ]
    return [mrn for mrn in mrns if mrn in known], sorted(refused)
