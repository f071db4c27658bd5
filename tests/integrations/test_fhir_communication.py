"""FHIR Communication resources in an imported bundle become the patient's portal messages,
threaded into their open item and triaged, once however often the bundle is imported."""

import io
import json

from integrations.fhir_export import export_fhir_bundle
from integrations.fhir_import import import_fhir_bundle
from queue_app.models import ItemEvent, Message, WorkItem
from tests import factories
from tests.integrations.helpers import NOW


def bundle(*resources: dict, urls: tuple[str, ...] = ()) -> io.BytesIO:
    entries = [
        {"resource": resource, **({"fullUrl": urls[n]} if n < len(urls) else {})}
        for n, resource in enumerate(resources)
    ]
    data = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    return io.BytesIO(json.dumps(data).encode())


def communication(subject: str, text: str, **overrides) -> dict:
    resource = {
        "resourceType": "Communication",
        "id": "comm-1",
        "identifier": [{"system": "https://portal.example.org/msg", "value": "PM-881"}],
        "status": "completed",
        "subject": {"reference": subject},
        "sender": {"reference": subject},
        "sent": "2026-11-28T06:55:00-05:00",
        "payload": [{"contentString": text}],
    }
    resource.update(overrides)
    return resource


def run(practice, source):
    return import_fhir_bundle(practice=practice, source=source, filename="b.json", now=NOW)


def test_a_communication_joins_the_patients_open_item_as_a_portal_message(
    practice_a, patient, assistant
):
    item = factories.make_item(practice_a, patient=patient, owner=assistant, status="assigned")
    source = bundle(communication(f"Patient/{patient.external_id}", "Is my referral sent?"))

    report = run(practice_a, source)

    assert report.errors == [] and report.warnings == []
    assert report.by_type["Communication"]["created"] == 1
    message = Message.objects.get(channel="portal")
    assert (message.item, message.patient, message.direction) == (item, patient, "in")
    assert message.body == "Is my referral sent?"
    assert ItemEvent.objects.filter(item=item, kind="patient_replied").exists()
    assert report.patient_ids == {patient.pk}


def test_importing_the_bundle_again_stores_the_message_once(practice_a, patient):
    resource = communication(f"Patient/{patient.external_id}", "Please call me back")

    run(practice_a, bundle(resource))
    again = run(practice_a, bundle(resource))

    assert again.by_type["Communication"]["unchanged"] == 1
    assert Message.objects.filter(channel="portal").count() == 1
    assert WorkItem.objects.filter(patient=patient, channel="portal").count() == 1


def test_a_communication_may_name_a_patient_of_the_same_bundle(practice_a):
    patient = {
        "resourceType": "Patient",
        "id": "p-9",
        "identifier": [
            {"type": {"coding": [{"code": "MR"}]}, "value": "MRN-9009"},
        ],
        "name": [{"family": "Rivera", "given": ["Luz"]}],
    }
    source = bundle(
        communication("urn:uuid:0b7e", "I have chest pain since this morning"),
        patient,
        urls=("", "urn:uuid:0b7e"),
    )

    report = run(practice_a, source)

    assert report.errors == []
    message = Message.objects.get(channel="portal")
    assert message.patient.external_id == "MRN-9009"
    assert message.item.boundary == WorkItem.Boundary.URGENT  # triaged like a text


def test_an_unknown_patient_is_an_error_with_its_reason(practice_a):
    report = run(practice_a, bundle(communication("Patient/NOPE", "hello")))

    assert [(e.resource_type, e.reason) for e in report.errors] == [
        ("Communication", "No patient of this practice has this MRN; nothing was stored.")
    ]
    assert Message.objects.count() == 0


def test_a_message_to_the_patient_or_not_completed_is_skipped(practice_a, patient):
    subject = f"Patient/{patient.external_id}"
    outbound = communication(subject, "Your results are in", sender={"reference": "Practitioner/1"})
    draft = communication(subject, "half written", status="preparation", id="c2", identifier=[])

    report = run(practice_a, bundle(outbound, draft))

    assert len(report.warnings) == 2 and report.errors == []
    assert "only messages the patient sent" in report.warnings[0].reason
    assert Message.objects.count() == 0


def test_an_invalid_communication_is_reported_and_the_rest_imports(practice_a, patient):
    subject = f"Patient/{patient.external_id}"
    broken = communication(subject, "x", sent="yesterday at noon", id="c3")
    fine = communication(subject, "Can I get a refill?", id="c4", identifier=[])

    report = run(practice_a, bundle(broken, fine))

    assert [e.index for e in report.errors] == [0]
    assert Message.objects.get().body == "Can I get a refill?"


def test_a_bundle_exported_from_the_queue_imports_no_message_twice(practice_a, patient):
    item = factories.make_item(practice_a, patient=patient)
    factories.make_message(item, direction="in", status="received", body="Hola", created=NOW)
    exported = export_fhir_bundle(practice=practice_a, since=NOW.date(), until=NOW.date(), now=NOW)

    report = run(practice_a, io.BytesIO(exported.json.encode()))

    assert report.errors == []
    assert [w.reason for w in report.warnings if w.resource_type == "Communication"] == [
        "skipped: already in the queue: this bundle was exported from it"
    ]
    assert Message.objects.count() == 1


def test_an_email_message_is_exported_as_email(practice_a, patient):
    item = factories.make_item(practice_a, patient=patient)
    factories.make_message(
        item, direction="in", status="received", channel="email", body="Hi", created=NOW
    )
    exported = json.loads(
        export_fhir_bundle(practice=practice_a, since=NOW.date(), until=NOW.date(), now=NOW).json
    )
    (comm,) = [
        e["resource"] for e in exported["entry"] if e["resource"]["resourceType"] == "Communication"
    ]
    assert comm["medium"][0]["coding"][0]["code"] == "EMAILWRIT"
