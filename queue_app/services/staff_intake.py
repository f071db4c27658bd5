"""Items staff open by hand: a call taken at the front desk, a walk-in, a fax, a hand-off.

The words staff type go through the same intake as an inbound SMS: triaged once here (the
lane picks the practice's moment), then `intake.create_item`, which sets the boundary,
escalates (urgent words reach the urgent route and its alerts) and assigns.
"""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.contrib.auth.models import User
from django.db import transaction

from escalation.triage import triage
from queue_app.events import record_item_event
from queue_app.models import Consent, Patient, Practice, StaffEntry, WorkItem
from queue_app.search import fold
from queue_app.services import intake
from queue_app.services.shared import ActionRefused

STAFF_CHANNELS = (
    WorkItem.Channel.FRONT_DESK,
    WorkItem.Channel.WALK_IN,
    WorkItem.Channel.FAX,
    WorkItem.Channel.HANDOFF,
)


@dataclass(frozen=True)
class NewPatient:
    """A patient not on file yet, as staff typed them (phone already E.164 or empty)."""

    first_name: str
    last_name: str
    date_of_birth: date
    phone: str
    preferred_language: str
    # The patient agreed, there and then, to receive text messages at this phone.
    sms_consent: bool = False


class PatientOnFile(ActionRefused):
    """The new patient is already on file: staff should choose them instead."""


def find_same_patient(*, practice: Practice, details: NewPatient) -> Patient | None:
    """A patient of the practice with this name (accents and case aside) and date of birth."""
    first, last = fold(details.first_name.strip()), fold(details.last_name.strip())
    for patient in practice.patients.filter(date_of_birth=details.date_of_birth):
        if (fold(patient.first_name), fold(patient.last_name)) == (first, last):
            return patient
    return None


def create_patient(
    *, practice: Practice, details: NewPatient, actor: User, now: datetime
) -> Patient:
    """Put a new patient on file (with their text consent when given); one already there with
    this name and birth date is refused."""
    if find_same_patient(practice=practice, details=details) is not None:
        raise PatientOnFile(
            "A patient with this name and date of birth is already on file: find and choose them."
        )
    patient = Patient.objects.create(
        practice=practice,
        first_name=details.first_name.strip(),
        last_name=details.last_name.strip(),
        date_of_birth=details.date_of_birth,
        phone=details.phone,
        preferred_language=details.preferred_language,
    )
    if details.sms_consent and details.phone:
        Consent.objects.create(
            patient=patient,
            channel=Consent.Channel.SMS,
            granted=True,
            recorded_at=now,
            source="Given to staff when the patient was put on file",
            recorded_by=actor,
        )
    return patient


@transaction.atomic
def create_staff_item(
    *,
    practice: Practice,
    patient: Patient | NewPatient,
    channel: str,
    words: str,
    actor: User,
    token: UUID,
    now: datetime,
) -> tuple[WorkItem, bool]:
    """Open the item staff entered, once per form token: a second submit of the same form
    returns the first one's item (and False) instead of opening another."""
    if channel not in STAFF_CHANNELS:
        raise ActionRefused("Choose how the request came in.")
    # The token's row is inserted first: a concurrent second submit waits on its unique
    # index until this transaction commits, then finds the row with its item.
    entry, created = StaffEntry.objects.get_or_create(
        token=token, defaults={"practice": practice, "taken_by": actor, "created": now}
    )
    if not created:
        if entry.taken_by_id != actor.pk or entry.item_id is None:
            raise ActionRefused("This form was already sent. Open a new one.")
        return entry.item, False
    if isinstance(patient, NewPatient):
        patient = create_patient(practice=practice, details=patient, actor=actor, now=now)
        created_patient = True
    else:
        created_patient = False
    if patient.practice_id != practice.pk:
        raise ActionRefused("This patient belongs to another practice.")
    triaged = triage(words)
    item = intake.create_item(
        practice=practice,
        patient=patient,
        moment=intake.lane_moment(practice, triaged.lane),
        channel=channel,
        words=words,
        language=patient.preferred_language,
        now=now,
        actor=actor,
        triaged=triaged,
    )
    StaffEntry.objects.filter(pk=entry.pk).update(item=item)
    if created_patient:
        after = {"patient": str(patient.code)}
        record_item_event(item=item, kind="patient_created", now=now, actor=actor, after=after)
    return item, True
