"""FHIR R4 export of what the queue did: messages as Communications, work items as Tasks.

The Bundle (type collection) holds, for one practice and a date range in its time zone, every
inbound and outbound message of the range, a Task for every work item those messages are about
and for every item still open, and the Patients they reference. Resource ids are the rows'
UUID codes, never pks or patient details. The whole Bundle is validated with the fhir.resources
R4B models before it is returned, so what leaves is R4.
"""

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID, uuid4

from django.db.models import Q
from fhir.resources.R4B.bundle import Bundle

from queue_app.clock import zone
from queue_app.models import Message, Patient, Practice, WorkItem

logger = logging.getLogger(__name__)

MOMENT_SYSTEM = "urn:patient-queue:communication-moment"
PARTICIPATION_MODE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationMode"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
LANGUAGE_SYSTEM = "urn:ietf:bcp:47"
# v3-ParticipationMode has no SMS code: an SMS is "written", said so in the text.
MEDIUM = {
    Message.Channel.SMS: ("WRITTEN", "written", "SMS"),
    Message.Channel.PORTAL: ("ONLINEWRIT", "online written", "Patient portal"),
    Message.Channel.EMAIL: ("EMAILWRIT", "email", "Email"),
    Message.Channel.VOICE: ("PHONE", "telephone", "Phone"),
}
COMMUNICATION_STATUS = {
    Message.Status.RECEIVED: "completed",
    Message.Status.SENT: "completed",
    Message.Status.DELIVERED: "completed",
    Message.Status.SCHEDULED: "in-progress",
    Message.Status.QUEUED: "in-progress",
    Message.Status.SENDING: "in-progress",
    Message.Status.UNKNOWN: "in-progress",
    Message.Status.UNDELIVERED: "not-done",
    Message.Status.FAILED: "not-done",
    Message.Status.BLOCKED: "not-done",
    Message.Status.CANCELLED: "not-done",
}
SENT_STATUSES = {Message.Status.SENT, Message.Status.DELIVERED, Message.Status.UNDELIVERED}


@dataclass
class ExportResult:
    json: str
    patient_ids: set[int]
    counts: Counter


def export_fhir_bundle(
    *, practice: Practice, since: date, until: date, now: datetime
) -> ExportResult:
    """A validated R4 collection Bundle of the practice's messages from `since` to `until`
    (inclusive days, practice time zone) and its open work items."""
    tz = zone(practice.timezone)
    start = datetime.combine(since, time(), tz)
    end = datetime.combine(until + timedelta(days=1), time(), tz)
    messages = list(
        Message.objects.filter(practice=practice, created__gte=start, created__lt=end)
        .select_related("patient", "sent_by")
        .order_by("created", "id")
    )
    item_ids = {m.item_id for m in messages if m.item_id}
    items = list(
        WorkItem.objects.filter(practice=practice)
        .filter(Q(pk__in=item_ids) | ~Q(status=WorkItem.Status.RESOLVED) & Q(received_at__lt=end))
        .select_related("patient", "moment", "owner")
        .order_by("received_at", "id")
    )
    patient_ids = {m.patient_id for m in messages} | {i.patient_id for i in items}
    patient_ids.discard(None)
    patients = list(Patient.objects.filter(pk__in=patient_ids).order_by("pk"))
    item_codes = {item.pk: item.code for item in items}
    entries = [_entry(_patient(p)) for p in patients]
    entries += [_entry(_task(item)) for item in items]
    entries += [_entry(_communication(m, practice, item_codes)) for m in messages]
    payload = {
        "resourceType": "Bundle",
        "id": str(uuid4()),
        "type": "collection",
        "timestamp": now.isoformat(),
        "entry": entries,
    }
    bundle = Bundle.model_validate(payload)
    counts = Counter(Patient=len(patients), Task=len(items), Communication=len(messages))
    logger.info("fhir export practice=%s counts=%s", practice.pk, dict(counts))
    return ExportResult(json=bundle.model_dump_json(), patient_ids=patient_ids, counts=counts)


def _entry(resource: dict) -> dict:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def _ref(kind: str, code: UUID) -> dict:
    return {"reference": f"urn:uuid:{code}", "type": kind}


def _identifier(code: UUID) -> list[dict]:
    return [{"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{code}"}]


def _patient(patient: Patient) -> dict:
    resource: dict = {
        "resourceType": "Patient",
        "id": str(patient.code),
        "name": [{"use": "official", "family": patient.last_name, "given": [patient.first_name]}],
        "communication": [
            {
                "language": {
                    "coding": [{"system": LANGUAGE_SYSTEM, "code": patient.preferred_language}]
                },
                "preferred": True,
            }
        ],
    }
    if patient.external_id:
        mrn = {"coding": [{"system": IDENTIFIER_TYPE, "code": "MR"}]}
        resource["identifier"] = [{"type": mrn, "value": patient.external_id}]
    telecom = []
    if patient.phone:
        telecom.append({"system": "phone", "value": patient.phone, "use": "mobile"})
    if patient.email:
        telecom.append({"system": "email", "value": patient.email})
    if telecom:
        resource["telecom"] = telecom
    if patient.date_of_birth:
        resource["birthDate"] = patient.date_of_birth.isoformat()
    return resource


def _task_status(item: WorkItem) -> str:
    if item.status == WorkItem.Status.NEW:
        return "requested"
    if item.status == WorkItem.Status.ASSIGNED:
        return "in-progress" if item.first_response_at else "accepted"
    if item.status == WorkItem.Status.WAITING:
        return "on-hold"
    if item.status == WorkItem.Status.ESCALATED:
        return "in-progress"
    return "completed"


def _task(item: WorkItem) -> dict:
    label = item.moment.label(item.language)
    resource: dict = {
        "resourceType": "Task",
        "id": str(item.code),
        "identifier": _identifier(item.code),
        "status": _task_status(item),
        "businessStatus": {"text": item.get_status_display()},
        "intent": "order",
        "priority": "urgent" if item.boundary == WorkItem.Boundary.URGENT else "routine",
        "code": {
            "coding": [{"system": MOMENT_SYSTEM, "code": item.moment.key, "display": label}],
            "text": label,
        },
        "authoredOn": item.received_at.isoformat(),
        "lastModified": item.updated.isoformat(),
        "restriction": {"period": {"end": item.due_at.isoformat()}},
    }
    if item.patient_id:
        resource["for"] = _ref("Patient", item.patient.code)
    if item.owner_id:
        owner = item.owner.get_full_name() or item.owner.get_username()
        resource["owner"] = {"type": "Practitioner", "display": owner}
    if item.resolved_at:
        resource["executionPeriod"] = {
            "start": item.received_at.isoformat(),
            "end": item.resolved_at.isoformat(),
        }
    return resource


def _communication(message: Message, practice: Practice, item_codes: dict[int, UUID]) -> dict:
    code, display, text = MEDIUM[message.channel]
    status = COMMUNICATION_STATUS[message.status]
    resource: dict = {
        "resourceType": "Communication",
        "id": str(message.code),
        "language": message.language,
        "identifier": _identifier(message.code),
        "status": status,
        "medium": [
            {
                "coding": [{"system": PARTICIPATION_MODE, "code": code, "display": display}],
                "text": text,
            }
        ],
        "payload": [{"contentString": message.body}],
    }
    if status == "not-done":
        resource["statusReason"] = {"text": message.get_status_display()}
    if message.item_id in item_codes:
        resource["about"] = [_ref("Task", item_codes[message.item_id])]
    practice_ref = {"type": "Organization", "display": practice.name}
    patient_ref = _ref("Patient", message.patient.code) if message.patient_id else None
    if patient_ref:
        resource["subject"] = patient_ref
    if message.direction == Message.Direction.INBOUND:
        resource["sent"] = resource["received"] = message.created.isoformat()
        resource["sender"] = patient_ref or {"display": "unidentified sender"}
        resource["recipient"] = [practice_ref]
    else:
        if message.status in SENT_STATUSES:
            resource["sent"] = max(message.created, message.send_after or message.created)
            resource["sent"] = resource["sent"].isoformat()
        staff = message.sent_by
        sender = staff.get_full_name() or staff.get_username() if staff else ""
        resource["sender"] = {"type": "Practitioner", "display": sender} if staff else practice_ref
        if patient_ref:
            resource["recipient"] = [patient_ref]
    return resource
