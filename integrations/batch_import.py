"""Writing checked CSV rows in batches: a few bulk queries per batch instead of ten per row.

A 50,000-row file committed row by row took ten minutes; a web upload has thirty seconds. The
rows are checked first (csv_import.check_row), then written BATCH_SIZE at a time, each batch
in one transaction: the batch's patients and appointments are read in one query each, new ones
are inserted and changed ones updated in bulk. The result is what save_patient and
save_appointment would leave row by row (same idempotency by external id, same outcomes).

A batch the database refuses as a whole is rolled back and written again row by row, each row
in its own savepoint, so the one bad row is named and skipped and the others are kept: a row
is written entirely or not at all.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import DatabaseError, transaction

from integrations.fhir_import import AppointmentRecord, Outcome, PatientRecord, save_appointment
from messaging.reminders import offsets_for
from queue_app import changes
from queue_app.clock import zone
from queue_app.models import Appointment, Consent, Patient, Practice, Reminder

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
IN_PERSON = Appointment.Kind.IN_PERSON
PATIENT_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "phone",
    "email",
    "preferred_language",
)


@dataclass
class Row:
    """One checked row: its line in the file, the patient and the appointment it writes."""

    line: int
    patient: PatientRecord
    appointment: dict | None = None


@dataclass
class Written:
    """What one row did: (resource type, outcome) pairs and the patient's id."""

    line: int
    outcomes: list[tuple[str, Outcome]] = field(default_factory=list)
    patient_id: int | None = None


@dataclass
class BatchResult:
    written: list[Written] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)


def write_in_batches(
    *,
    practice: Practice,
    rows: list[Row],
    source: str,
    now: datetime,
    progress: Callable[[BatchResult, int], None] | None = None,
) -> BatchResult:
    """Write every row, BATCH_SIZE at a time; after each batch, `progress(what that batch did,
    rows done so far)`."""
    result = BatchResult()
    for start in range(0, len(rows), BATCH_SIZE):
        batch, done = rows[start : start + BATCH_SIZE], BatchResult()
        try:
            with transaction.atomic():
                done.written = _write_batch(practice=practice, rows=batch, source=source, now=now)
        except DatabaseError as exc:
            logger.warning("csv import: batch at row %s refused (%s); row by row", start, type(exc))
            _write_one_by_one(practice=practice, rows=batch, source=source, now=now, into=done)
        result.written += done.written
        result.refused += done.refused
        if progress:
            progress(done, start + len(batch))
    return result


def _write_one_by_one(
    *, practice: Practice, rows: list[Row], source: str, now: datetime, into: BatchResult
) -> None:
    for row in rows:
        try:
            with transaction.atomic():
                into.written += _write_batch(practice=practice, rows=[row], source=source, now=now)
        except DatabaseError as exc:  # its message may quote the row: only the class is logged
            logger.warning("csv import: line %s refused by the database (%s)", row.line, type(exc))
            into.refused.append((row.line, "the database refused this row"))


def _write_batch(*, practice: Practice, rows: list[Row], source: str, now: datetime) -> list:
    patients = _PatientBatch(practice, [row.patient.external_id for row in rows], now)
    written = []
    for row in rows:
        patient, outcome = patients.apply(row.patient)
        written.append(Written(row.line, [("Patient", outcome)]))
    patients.save()
    consents_added = _record_consents(practice, patients, [row.patient for row in rows], source)
    appointments = _AppointmentBatch(practice, rows, now)
    for row, done in zip(rows, written, strict=True):
        patient = patients.by_external_id[row.patient.external_id]
        done.patient_id = patient.pk
        if row.patient.external_id in consents_added and done.outcomes[0][1] == "unchanged":
            done.outcomes[0] = ("Patient", "updated")
        if row.appointment:
            record = AppointmentRecord(patient=patient, **row.appointment)
            done.outcomes.append(("Appointment", appointments.apply(record)))
    appointments.save()
    return written


class _PatientBatch:
    """The batch's patients: read once, changed in memory, written in two queries."""

    def __init__(self, practice: Practice, external_ids: list[str], now: datetime) -> None:
        self.practice, self.now = practice, now
        found = Patient.objects.select_for_update().filter(
            practice=practice, external_id__in=set(external_ids)
        )
        self.by_external_id = {patient.external_id: patient for patient in found}
        self.new: dict[str, Patient] = {}
        self.changed: dict[str, Patient] = {}
        self.changed_fields: set[str] = set()

    def apply(self, record: PatientRecord) -> tuple[Patient, Outcome]:
        values = {name: getattr(record, name) for name in PATIENT_FIELDS}
        values = {name: value for name, value in values.items() if value not in (None, "")}
        patient = self.by_external_id.get(record.external_id)
        if patient is None:
            patient = Patient(practice=self.practice, external_id=record.external_id, **values)
            self.by_external_id[record.external_id] = self.new[record.external_id] = patient
            return patient, "created"
        changed = [name for name, value in values.items() if getattr(patient, name) != value]
        for name in changed:
            setattr(patient, name, values[name])
        if changed and record.external_id not in self.new:
            patient.updated = self.now
            self.changed[record.external_id] = patient
            self.changed_fields.update(changed)
        return patient, "updated" if changed else "unchanged"

    def save(self) -> None:
        Patient.objects.bulk_create(list(self.new.values()))
        if self.changed:
            fields = [*sorted(self.changed_fields), "updated"]
            Patient.objects.bulk_update(self.changed.values(), fields)
        if self.changed_fields & changes.NAME_FIELDS:
            changes.practices_changed([self.practice.pk])  # the open queues show the names


def _record_consents(
    practice: Practice, patients: _PatientBatch, records: list[PatientRecord], source: str
) -> set[str]:
    """Dated consents not yet recorded, in one insert; the external ids that got one."""
    wanted = {
        (record.external_id, channel, _aware(given, practice))
        for record in records
        for channel, given in record.consents
    }
    if not wanted:
        return set()
    ids = {patients.by_external_id[external_id].pk for external_id, _c, _g in wanted}
    known = set(
        Consent.objects.filter(patient_id__in=ids, granted=True).values_list(
            "patient__external_id", "channel", "recorded_at"
        )
    )
    missing = sorted(wanted - known, key=str)
    Consent.objects.bulk_create(
        [
            Consent(
                patient=patients.by_external_id[external_id],
                channel=channel,
                granted=True,
                recorded_at=recorded_at,
                source=f"import {source}"[:120],
            )
            for external_id, channel, recorded_at in missing
        ]
    )
    return {external_id for external_id, _c, _g in missing}


class _AppointmentBatch:
    """The batch's appointments: new ones inserted with their reminders in bulk; a changed
    one goes through save_appointment, which brings its existing reminders in line."""

    def __init__(self, practice: Practice, rows: list[Row], now: datetime) -> None:
        self.practice, self.now = practice, now
        external_ids = {row.appointment["external_id"] for row in rows if row.appointment}
        found = Appointment.objects.filter(practice=practice, external_id__in=external_ids)
        self.existing = {appointment.external_id: appointment for appointment in found}
        self.new: dict[str, Appointment] = {}
        self.changed: list[AppointmentRecord] = []

    def apply(self, record: AppointmentRecord) -> Outcome:
        values = _appointment_values(record)
        appointment = self.new.get(record.external_id)
        if appointment is not None:  # twice in one batch: the later row wins
            for name, value in values.items():
                setattr(appointment, name, value)
            return "updated"
        appointment = self.existing.get(record.external_id)
        if appointment is None:
            self.new[record.external_id] = Appointment(
                practice=self.practice, external_id=record.external_id, **values
            )
            return "created"
        same_patient = appointment.patient_id == record.patient.pk
        values.pop("patient")
        if same_patient and all(getattr(appointment, n) == v for n, v in values.items()):
            return "unchanged"
        self.changed.append(record)
        return "updated"

    def save(self) -> None:
        created = Appointment.objects.bulk_create(list(self.new.values()))
        offsets = offsets_for(self.practice)
        Reminder.objects.bulk_create(
            [reminder for new in created for reminder in self._reminders(new, offsets)]
        )
        for record in self.changed:
            save_appointment(practice=self.practice, record=record, now=self.now)

    def _reminders(self, appointment: Appointment, offsets: dict[str, int]) -> list[Reminder]:
        """A new appointment's reminders, as messaging.reminders.sync_reminders makes them
        (tests/integrations/test_batch_import.py holds the two to the same result)."""
        if appointment.status != Appointment.Status.BOOKED or appointment.starts_at <= self.now:
            return []
        telehealth = appointment.kind == Appointment.Kind.TELEHEALTH
        return [
            Reminder(
                appointment=appointment,
                kind=kind,
                offset_minutes=offsets[kind],
                due_at=appointment.starts_at - timedelta(minutes=offsets[kind]),
                created=self.now,
                updated=self.now,
            )
            for kind in Reminder.Kind.values
            if kind != Reminder.Kind.TELEHEALTH_LINK or telehealth
        ]


def _appointment_values(record: AppointmentRecord) -> dict:
    return {
        "patient": record.patient,
        "provider_name": record.provider_name,
        "starts_at": record.starts_at,
        "ends_at": record.ends_at,
        "status": record.status,
        "kind": Appointment.Kind.TELEHEALTH if record.telehealth_link else IN_PERSON,
        "telehealth_link": record.telehealth_link,
        "location": record.location,
    }


def _aware(value, practice: Practice) -> datetime:
    if not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    return value if value.tzinfo else value.replace(tzinfo=zone(practice.timezone))
