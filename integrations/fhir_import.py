"""FHIR R4 import of Patient and Appointment resources: streamed, validated, idempotent.

A bundle is read entry by entry with ijson (a 50 MB file is never held whole), each resource is
validated with the fhir.resources R4B models, and each is saved in its own savepoint, so a bad
resource is reported with its index and the rest still imports. The resources' identifiers are
the idempotency key (`external_id`): importing the same bundle twice changes nothing.

The records layer at the bottom (PatientRecord, AppointmentRecord, save_patient,
save_appointment, normalize_phone, normalize_language) is shared with the CSV import, which
is why this module runs a little over 600 lines.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import IO, Any, Literal

import ijson
import phonenumbers
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import DatabaseError, transaction
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from fhir.resources.R4B.patient import Patient as FhirPatient
from pydantic import ValidationError

from integrations import limits
from integrations.fhir_communication import COMMUNICATION, import_communications
from messaging.reminders import sync_reminders
from queue_app import changes
from queue_app.clock import zone
from queue_app.models import Appointment, Consent, Language, Patient, Practice

logger = logging.getLogger(__name__)

Outcome = Literal["created", "updated", "unchanged"]

# HL7 v2-0203 identifier type for a medical record number: the EHR's own key for a patient.
MRN_TYPE_CODE = "MR"
LANGUAGES = {
    **dict.fromkeys(("en", "eng", "english", "inglés", "ingles"), Language.ENGLISH),
    **dict.fromkeys(("es", "spa", "spanish", "español", "espanol"), Language.SPANISH),
}
APPOINTMENT_STATUSES = {
    "booked": Appointment.Status.BOOKED,
    "pending": Appointment.Status.BOOKED,
    "proposed": Appointment.Status.BOOKED,
    "cancelled": Appointment.Status.CANCELLED,
    "noshow": Appointment.Status.NO_SHOW,
    "fulfilled": Appointment.Status.COMPLETED,
}
# Extensions are matched by the end of their URL, so a clinic's own namespace works:
# ".../sms-consent" (valueDateTime) records consent; ".../telehealth-link" (valueUrl) a link.
CONSENT_EXTENSION_SUFFIX = "-consent"
TELEHEALTH_EXTENSION_SUFFIXES = ("telehealth-link", "virtual-service", "virtualservice")
IMPORTED_TYPES = ("Patient", "Appointment")
TELEHEALTH, IN_PERSON = Appointment.Kind.TELEHEALTH, Appointment.Kind.IN_PERSON


class RecordError(Exception):
    """A resource or row that cannot be imported; the message is shown to the admin."""


@dataclass
class ImportIssue:
    index: int
    resource_type: str
    reason: str


@dataclass
class ImportReport:
    """What an import did, shown on the page and printed by the command."""

    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_type: dict[str, Counter] = field(default_factory=dict)
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)
    patient_ids: set[int] = field(default_factory=set)
    fatal: str = ""

    def count(self, resource_type: str, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.by_type.setdefault(resource_type, Counter())[outcome] += 1

    def error(self, index: int, resource_type: str, reason: str) -> None:
        self.errors.append(ImportIssue(index, resource_type or "?", reason))

    def warn(self, index: int, resource_type: str, reason: str) -> None:
        self.warnings.append(ImportIssue(index, resource_type or "?", reason))

    def log_summary(self, log: logging.Logger, *, kind: str, practice_id: int) -> None:
        """Log the counts only: the rows hold patient data, the log never does."""
        log.info(
            "%s import practice=%s created=%s updated=%s unchanged=%s errors=%s",
            kind,
            practice_id,
            self.created,
            self.updated,
            self.unchanged,
            len(self.errors),
        )

    def lines(self) -> list[str]:
        if self.fatal:
            return [f"{self.source}: not imported: {self.fatal}"]
        out = [
            f"{self.source}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.errors)} errors, "
            f"{len(self.warnings)} warnings"
        ]
        out += [f"  error   #{i.index} {i.resource_type}: {i.reason}" for i in self.errors]
        out += [f"  warning #{i.index} {i.resource_type}: {i.reason}" for i in self.warnings]
        return out


@dataclass(frozen=True)
class PatientRecord:
    external_id: str
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    phone: str = ""
    email: str = ""
    preferred_language: str | None = None  # None: the file does not say
    consents: tuple[tuple[str, datetime], ...] = ()


@dataclass(frozen=True)
class AppointmentRecord:
    external_id: str
    patient: Patient
    provider_name: str
    starts_at: datetime
    ends_at: datetime
    status: str
    telehealth_link: str = ""
    location: str = ""


# --- the bundle ------------------------------------------------------------------------------


def import_fhir_bundle(
    *, practice: Practice, source: IO[bytes], filename: str, now: datetime
) -> ImportReport:
    """Import a bundle's Patients, then its Appointments; each resource in its own savepoint.

    `source` must be seekable: it is streamed three times (syntax check with the size and
    depth limits, patients, appointments), so an appointment may reference a later patient.
    """
    report = ImportReport(source=filename)
    fatal = limits.size_error(source.seek(0, 2), limits.fhir_max_bytes()) or _check_bundle(source)
    if fatal:
        report.fatal = fatal
        return report
    # Bundle-local references ("Patient/123", "urn:uuid:...") to the external id they became.
    references: dict[str, str] = {}
    for phase in IMPORTED_TYPES:
        source.seek(0)
        for index, entry in enumerate(ijson.items(source, "entry.item", use_float=True)):
            resource = entry.get("resource") if isinstance(entry, dict) else None
            resource_type = resource.get("resourceType", "") if isinstance(resource, dict) else ""
            if resource_type != phase:
                if phase == "Patient" and resource_type not in (*IMPORTED_TYPES, COMMUNICATION):
                    _report_other_entry(report, index, resource, resource_type)
                continue
            _import_resource(
                practice=practice,
                resource=resource,
                full_url=entry.get("fullUrl", ""),
                index=index,
                references=references,
                report=report,
                now=now,
            )
    import_communications(
        practice=practice, source=source, references=references, report=report, now=now
    )
    report.errors.sort(key=lambda issue: issue.index)
    report.warnings.sort(key=lambda issue: issue.index)
    report.log_summary(logger, kind="fhir", practice_id=practice.pk)
    return report


def _check_bundle(source: IO[bytes]) -> str:
    """Stream the file once: a malformed or too deep one is refused before anything is built."""
    resource_type = None
    try:
        limits.check_json_depth(source)  # first: ijson.parse builds a path for every level
        for prefix, event, value in ijson.parse(source):
            if prefix == "resourceType" and event == "string":
                resource_type = value
            elif prefix == "" and event not in ("start_map", "end_map", "map_key"):
                return "the file is not a JSON object"
    except ijson.JSONError as exc:
        return limits.json_error(source, exc)
    except UnicodeDecodeError:
        return "the file is not UTF-8 JSON"
    except limits.TooDeep as exc:
        return f"the file is not a FHIR Bundle: {exc}"
    if resource_type != "Bundle":
        return "the file is not a FHIR Bundle (resourceType must be Bundle)"
    return ""


def _report_other_entry(report: ImportReport, index: int, resource: Any, rtype: str) -> None:
    if not isinstance(resource, dict):
        report.error(index, "", "the entry has no resource")
        return
    try:
        get_fhir_model_class(rtype)
    except (ValueError, KeyError):
        report.error(index, rtype, f"unknown resource type {rtype[:40]!r}")
        return
    report.warn(index, rtype, "skipped: only Patient and Appointment resources are imported")


def _import_resource(
    *,
    practice: Practice,
    resource: dict,
    full_url: str,
    index: int,
    references: dict[str, str],
    report: ImportReport,
    now: datetime,
) -> None:
    resource_type = resource["resourceType"]
    warnings: list[str] = []
    try:
        limits.refuse_nul(resource)
        with transaction.atomic():
            if resource_type == "Patient":
                record = patient_record_from_fhir(resource, warnings=warnings)
                patient, outcome = save_patient(
                    practice=practice, record=record, source=f"import {report.source}", now=now
                )
                keys = [full_url, f"Patient/{resource['id']}" if resource.get("id") else ""]
                for key in keys:
                    if key and key != f"Patient/{record.external_id}":
                        references[key] = record.external_id
            else:
                record = appointment_record_from_fhir(
                    resource, practice=practice, references=references, warnings=warnings
                )
                appointment, outcome = save_appointment(practice=practice, record=record, now=now)
                patient = appointment.patient
    except ValidationError as exc:
        report.error(index, resource_type, _validation_reason(exc))
        return
    except (RecordError, limits.NulCharacter) as exc:
        report.error(index, resource_type, str(exc))
        return
    except DatabaseError as exc:  # the message may quote patient data: only its class
        logger.warning("fhir import: entry %s refused by the database (%s)", index, type(exc))
        report.error(index, resource_type, "the database refused it")
        return
    for warning in warnings:
        report.warn(index, resource_type, warning)
    report.count(resource_type, outcome)
    report.patient_ids.add(patient.pk)


def _validation_reason(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(part) for part in error["loc"]) or "resource"
        parts.append(f"{where}: {error['msg'].split('.')[0].strip()}")
    more = len(exc.errors()) - 3
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


# --- FHIR resources to records --------------------------------------------------------------


def patient_record_from_fhir(resource: dict, *, warnings: list[str]) -> PatientRecord:
    """Validate a Patient with the R4B model and read what the queue keeps of it."""
    patient = FhirPatient.model_validate(resource)
    external_id = _patient_external_id(patient)
    name = _pick_name(patient.name or [])
    if name is None or not name.given or not name.family:
        raise RecordError("no name with a given and a family name")
    birth_date = patient.birthDate if isinstance(patient.birthDate, date) else None
    if patient.birthDate and birth_date is None:
        warnings.append("birthDate is only partly known; left empty")
    return PatientRecord(
        external_id=external_id,
        first_name=_fits(" ".join(name.given), 80, "given name"),
        last_name=_fits(name.family, 80, "family name"),
        date_of_birth=birth_date,
        phone=_fhir_phone(patient.telecom or []),
        email=_fhir_email(patient.telecom or [], warnings),
        preferred_language=_fhir_language(patient.communication or [], warnings),
        consents=_fhir_consents(patient.extension or []),
    )


def _patient_external_id(patient: FhirPatient) -> str:
    identifiers = [i for i in patient.identifier or [] if i.value]
    for identifier in identifiers:
        codes = [c.code for c in (identifier.type.coding or [])] if identifier.type else []
        if MRN_TYPE_CODE in codes:
            return _fits(identifier.value, 64, "identifier")
    if patient.id:
        return patient.id
    if identifiers:
        return _fits(identifiers[0].value, 64, "identifier")
    raise RecordError("no identifier and no id: it cannot be matched on a later import")


def _pick_name(names: list) -> Any:
    for use in ("official", "usual", None):
        for name in names:
            if name.use == use or use is None:
                return name
    return None


def _fhir_phone(telecoms: list) -> str:
    phones = [t for t in telecoms if t.system in ("phone", "sms") and t.value]
    if not phones:
        return ""
    # A mobile number is the one that can take texts.
    phones.sort(key=lambda t: (t.use != "mobile", t.rank or 99))
    try:
        return normalize_phone(phones[0].value)
    except ValueError as exc:
        raise RecordError(str(exc)) from None


def _fhir_email(telecoms: list, warnings: list[str]) -> str:
    emails = [t.value for t in telecoms if t.system == "email" and t.value]
    if not emails:
        return ""
    try:
        EmailValidator()(emails[0])
    except DjangoValidationError:
        warnings.append("email address is not valid; left empty")
        return ""
    return emails[0][:254]


def _fhir_language(communications: list, warnings: list[str]) -> str | None:
    if not communications:
        return None
    communications = sorted(communications, key=lambda c: not c.preferred)
    concept = communications[0].language
    codes = [c.code for c in concept.coding or [] if c.code] + [concept.text or ""]
    for code in codes:
        language = normalize_language(code)
        if language:
            return language
    shown = ", ".join(code for code in codes if code)[:40]
    # Not a reason to overwrite what the practice knows: a new patient gets English.
    warnings.append(f"unknown language {shown!r}; kept the patient's language (new: English)")
    return None


def _fhir_consents(extensions: list) -> tuple[tuple[str, datetime], ...]:
    consents = []
    for extension in extensions:
        url = (extension.url or "").rstrip("/").rsplit("/", 1)[-1].lower()
        channel = url.removesuffix(CONSENT_EXTENSION_SUFFIX)
        if not url.endswith(CONSENT_EXTENSION_SUFFIX) or channel not in Consent.Channel.values:
            continue
        given = extension.valueDateTime or extension.valueDate
        if given is not None:  # consent without a date is never assumed
            consents.append((channel, given))
    return tuple(consents)


def appointment_record_from_fhir(
    resource: dict, *, practice: Practice, references: dict[str, str], warnings: list[str]
) -> AppointmentRecord:
    """Validate an Appointment with the R4B model and read what the queue keeps of it."""
    # virtualService is R5's telehealth element; EHRs already send it, R4B does not know it.
    resource = dict(resource)
    virtual = resource.pop("virtualService", None)
    appointment = FhirAppointment.model_validate(resource)
    if appointment.status not in APPOINTMENT_STATUSES:
        raise RecordError(f"status {appointment.status[:20]!r} is not imported")
    external_id = _appointment_external_id(appointment)
    starts_at = _aware(appointment.start, practice)
    if starts_at is None:
        raise RecordError("no start time")
    ends_at = _aware(appointment.end, practice)
    if ends_at is None and appointment.minutesDuration:
        ends_at = starts_at + timedelta(minutes=appointment.minutesDuration)
    if ends_at is None or ends_at <= starts_at:
        raise RecordError("no end time after the start")
    patient, provider, location = _participants(appointment, practice, references, warnings)
    return AppointmentRecord(
        external_id=external_id,
        patient=patient,
        provider_name=_fits(provider, 120, "practitioner display"),
        starts_at=starts_at,
        ends_at=ends_at,
        status=APPOINTMENT_STATUSES[appointment.status],
        telehealth_link=_telehealth_link(appointment, virtual, warnings),
        location=location[:200],
    )


def _appointment_external_id(appointment: FhirAppointment) -> str:
    values = [i.value for i in appointment.identifier or [] if i.value]
    if values:
        return _fits(values[0], 64, "identifier")
    if appointment.id:
        return appointment.id
    raise RecordError("no identifier and no id: it cannot be matched on a later import")


def _participants(
    appointment: FhirAppointment,
    practice: Practice,
    references: dict[str, str],
    warnings: list[str],
) -> tuple[Patient, str, str]:
    patient, provider, location = None, "", ""
    for participant in appointment.participant:
        actor = participant.actor
        if actor is None:
            continue
        reference = actor.reference or ""
        parts = reference.split("/")
        kind = actor.type or (parts[-2] if len(parts) >= 2 else "")
        if not (kind or reference or actor.identifier) and actor.display:
            kind = "Practitioner"  # given by name only ("Dr. Patel"): who the patient sees
        if kind == "Patient" or reference in references:
            patient = patient or _resolve_patient(actor, practice, references)
        elif kind == "Practitioner" and not provider:
            provider = actor.display or ""
        elif kind == "Location" and not location:
            location = actor.display or ""
    if patient is None:
        raise RecordError("no Patient participant")
    if not provider:
        warnings.append("no practitioner with a display name; provider left empty")
    return patient, provider, location


def _resolve_patient(actor: Any, practice: Practice, references: dict[str, str]) -> Patient:
    reference = actor.reference or ""
    if actor.identifier is not None and actor.identifier.value:
        external_id = actor.identifier.value
    else:
        # "Patient/123", or an absolute URL ending in it, or a bundle-local "urn:uuid:...".
        local = reference if reference.startswith("urn:") else "/".join(reference.split("/")[-2:])
        external_id = references.get(local) or local.removeprefix("Patient/")
    patient = Patient.objects.filter(practice=practice, external_id=external_id).first()
    if patient is None:
        shown = (reference or external_id)[:60]
        raise RecordError(f"patient {shown!r} is neither in this bundle nor in the practice")
    return patient


def _telehealth_link(appointment: FhirAppointment, virtual: Any, warnings: list[str]) -> str:
    candidates = []
    for extension in appointment.extension or []:
        name = (extension.url or "").rstrip("/").rsplit("/", 1)[-1].lower()
        if name.endswith(TELEHEALTH_EXTENSION_SUFFIXES):
            candidates.append(extension.valueUrl or extension.valueUri or extension.valueString)
    if isinstance(virtual, list):
        candidates += [v.get("addressUrl") for v in virtual if isinstance(v, dict)]
    # An Endpoint contained in the appointment and pointed at by supportingInformation.
    endpoints = {
        f"#{r.id}": r.address
        for r in appointment.contained or []
        if r.get_resource_type() == "Endpoint"
    }
    for info in appointment.supportingInformation or []:
        candidates.append(endpoints.get(info.reference or ""))
    for candidate in candidates:
        if not candidate:
            continue
        try:
            URLValidator(schemes=["https"])(candidate)
        except DjangoValidationError:
            warnings.append("telehealth link is not an https URL; imported as in person")
            continue
        return candidate[:200]
    return ""


def _aware(value: Any, practice: Practice) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(practice.timezone))
    return value


def _fits(value: str, limit: int, what: str) -> str:
    value = value.strip()
    if len(value) > limit:
        raise RecordError(f"{what} is longer than {limit} characters")
    return value


# --- records layer, shared with the CSV import ----------------------------------------------


def normalize_phone(raw: str) -> str:
    """A US-dialled or international number in E.164; ValueError names what is wrong."""
    try:
        number = phonenumbers.parse(raw, "US")
    except phonenumbers.NumberParseException:
        raise ValueError("phone is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("phone is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_language(raw: str) -> str | None:
    """'en', 'es-MX', 'Spanish', 'spa' → a Language value; None when it is not one we serve."""
    value = (raw or "").strip().lower().replace("_", "-")
    return LANGUAGES.get(value) or LANGUAGES.get(value.split("-")[0])


def save_patient(
    *, practice: Practice, record: PatientRecord, source: str, now: datetime
) -> tuple[Patient, Outcome]:
    """Create or update the practice's patient with this external id; fields the file leaves
    empty keep their value, and consent is recorded only when the file dates it."""
    patient = (
        Patient.objects.select_for_update()
        .filter(practice=practice, external_id=record.external_id)
        .first()
    )
    values = {
        "first_name": record.first_name,
        "last_name": record.last_name,
        "date_of_birth": record.date_of_birth,
        "phone": record.phone,
        "email": record.email,
        "preferred_language": record.preferred_language,
    }
    values = {name: value for name, value in values.items() if value not in (None, "")}
    if patient is None:
        patient = Patient.objects.create(
            practice=practice, external_id=record.external_id, **values
        )
        outcome: Outcome = "created"
    else:
        changed = [name for name, value in values.items() if getattr(patient, name) != value]
        for name in changed:
            setattr(patient, name, values[name])
        if changed:
            patient.save(update_fields=[*changed, "updated"])
        if changes.NAME_FIELDS.intersection(changed):
            changes.practices_changed([practice.pk])  # the open queues show the names
        outcome = "updated" if changed else "unchanged"
    if _record_consents(patient=patient, record=record, practice=practice, source=source):
        outcome = "updated" if outcome == "unchanged" else outcome
    return patient, outcome


def _record_consents(
    *, patient: Patient, record: PatientRecord, practice: Practice, source: str
) -> bool:
    added = False
    for channel, given in record.consents:
        recorded_at = _aware(given, practice)
        exists = Consent.objects.filter(
            patient=patient, channel=channel, granted=True, recorded_at=recorded_at
        ).exists()
        if not exists:
            Consent.objects.create(
                patient=patient,
                channel=channel,
                granted=True,
                recorded_at=recorded_at,
                source=source[:120],
            )
            added = True
    return added


def save_appointment(
    *, practice: Practice, record: AppointmentRecord, now: datetime
) -> tuple[Appointment, Outcome]:
    """Create or update the appointment with this external id; a new, moved, cancelled or
    otherwise changed appointment has its reminders brought in line."""
    appointment = (
        Appointment.objects.select_for_update()
        .filter(practice=practice, external_id=record.external_id)
        .first()
    )
    values = {
        "patient": record.patient,
        "provider_name": record.provider_name,
        "starts_at": record.starts_at,
        "ends_at": record.ends_at,
        "status": record.status,
        "kind": Appointment.Kind.TELEHEALTH
        if record.telehealth_link
        else Appointment.Kind.IN_PERSON,
        "telehealth_link": record.telehealth_link,
        "location": record.location,
    }
    if appointment is None:
        appointment = Appointment.objects.create(
            practice=practice, external_id=record.external_id, **values
        )
        if appointment.status == Appointment.Status.BOOKED:  # others have nothing to remind
            sync_reminders(appointment=appointment, now=now)
        return appointment, "created"
    changed = [name for name, value in values.items() if getattr(appointment, name) != value]
    if not changed:
        return appointment, "unchanged"
    for name in changed:
        setattr(appointment, name, values[name])
    if "starts_at" in changed:
        # A confirmation was for the old time: the patient confirms the new one afresh.
        appointment.confirmation = Appointment.Confirmation.UNCONFIRMED
        appointment.confirmed_at = None
        changed += ["confirmation", "confirmed_at"]
    appointment.save(update_fields=[*changed, "updated"])
    sync_reminders(appointment=appointment, now=now)
    return appointment, "updated"
