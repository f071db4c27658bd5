"""FHIR R4 Communication resources as inbound portal messages, read by import_fhir_bundle.

A message the patient wrote in the EHR's portal arrives as a Communication: its subject is the
patient, its sender the patient (or absent), its payload the words. Each one found is handed
to messaging.portal.receive_portal_message, the same path as a post to the portal endpoint,
so it is threaded into the patient's open item and triaged, once per identifier. Kept apart
from fhir_import: only one call there (after Patients and Appointments, so a Communication
may name a patient listed later in the bundle).
"""

import logging
from datetime import datetime
from typing import IO, Any, Protocol
from uuid import UUID

import ijson
from django.db import DatabaseError
from fhir.resources.R4B.communication import Communication
from pydantic import ValidationError

from messaging.portal import PortalRefused, receive_portal_message
from queue_app.models import Message, Practice

logger = logging.getLogger(__name__)

COMMUNICATION = "Communication"


class Report(Protocol):
    """What of fhir_import.ImportReport this module writes to."""

    patient_ids: set[int]

    def count(self, resource_type: str, outcome: Any) -> None: ...

    def error(self, index: int, resource_type: str, reason: str) -> None: ...

    def warn(self, index: int, resource_type: str, reason: str) -> None: ...


class Skipped(Exception):
    """A valid Communication that is not a patient's message to the practice."""


def import_communications(
    *,
    practice: Practice,
    source: IO[bytes],
    references: dict[str, str],
    report: Report,
    now: datetime,
) -> None:
    """Import each Communication of the bundle as an inbound portal message."""
    source.seek(0)
    for index, entry in enumerate(ijson.items(source, "entry.item", use_float=True)):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or resource.get("resourceType") != COMMUNICATION:
            continue
        try:
            received = _import_one(practice, resource, references, now)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "resource"
            report.error(index, COMMUNICATION, f"{where}: {first['msg'].split('.')[0]}")
        except PortalRefused as exc:
            report.error(index, COMMUNICATION, exc.detail)
        except Skipped as exc:
            report.warn(index, COMMUNICATION, f"skipped: {exc}")
        except DatabaseError:
            logger.exception("fhir import: communication %s refused by the database", index)
            report.error(index, COMMUNICATION, "the database refused it")
        else:
            report.count(COMMUNICATION, "created" if received.created else "unchanged")
            report.patient_ids.add(received.message.patient_id)


def _import_one(practice: Practice, resource: dict, references: dict[str, str], now: datetime):
    communication = Communication.model_validate(resource)
    if communication.status != "completed":
        raise Skipped(f"status {communication.status!r}; only completed messages are imported")
    subject = communication.subject
    mrn = _patient_key(subject, references) if subject else ""
    if not mrn:
        raise PortalRefused(422, "no_subject", "no subject Patient: the message has no patient")
    sender = _patient_key(communication.sender, references) if communication.sender else mrn
    if sender != mrn:
        raise Skipped("only messages the patient sent are imported, not ones sent to them")
    text = "\n".join(
        part.contentString for part in communication.payload or [] if part.contentString
    )
    identifiers = [i.value for i in communication.identifier or [] if i.value]
    message_id = identifiers[0] if identifiers else communication.id
    if not message_id:
        raise PortalRefused(422, "no_id", "no identifier and no id: it could be imported twice")
    if _exported_from(practice, [communication.id or "", *identifiers]):
        raise Skipped("already in the queue: this bundle was exported from it")
    if not text.strip():
        raise PortalRefused(422, "no_text", "no payload contentString: nothing the patient wrote")
    return receive_portal_message(
        practice=practice, mrn=mrn, sender_message_id=message_id, text=text, now=now
    )


def _exported_from(practice: Practice, ids: list[str]) -> bool:
    """Whether these ids are a message of this practice (fhir_export writes its code)."""
    codes = []
    for value in ids:
        try:
            codes.append(UUID(value.removeprefix("urn:uuid:")))
        except ValueError:
            continue
    return bool(codes) and Message.objects.filter(practice=practice, code__in=codes).exists()


def _patient_key(reference: Any, references: dict[str, str]) -> str:
    """The MRN a Reference points at: a bundle-local reference, "Patient/<MRN>" (or a URL
    ending in it), or a logical identifier. "" when it names no patient."""
    if reference.reference:
        local = reference.reference
        if local in references:
            return references[local]
        if "Patient/" in local:
            return local.rsplit("Patient/", 1)[-1]
        return ""
    if reference.identifier and reference.identifier.value:
        return reference.identifier.value
    return ""
