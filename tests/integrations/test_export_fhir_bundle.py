from datetime import UTC, date, datetime, timedelta

from fhir.resources.R4B.bundle import Bundle

from integrations.fhir_export import export_fhir_bundle
from queue_app.models import Message, Patient, WorkItem
from tests import factories
from tests.integrations.helpers import NOW, import_file

SINCE, UNTIL = date(2026, 11, 1), date(2026, 11, 28)


def _message(item: WorkItem, n: int, **overrides) -> Message:
    """A delivered SMS about the item, `n` minutes after it came in."""
    fields = {
        "body": f"Message {n}",
        "language": item.language,
        "status": Message.Status.DELIVERED,
        "created": item.received_at + timedelta(minutes=n),
    }
    return factories.make_message(item, **fields | overrides)


def _resources(result) -> dict[str, list]:
    bundle = Bundle.model_validate_json(result.json)
    assert bundle.type == "collection"
    by_type: dict[str, list] = {}
    for entry in bundle.entry:
        by_type.setdefault(entry.resource.get_resource_type(), []).append(entry.resource)
    return by_type


def test_round_trip_import_work_export_validates_as_r4(practice_a, assistant):
    import_file(practice_a, "clinic_bundle.json")
    maria = Patient.objects.get(external_id="MRN-1001")
    received = datetime(2026, 11, 20, 14, 0, tzinfo=UTC)
    item = factories.make_item(
        practice_a,
        patient=maria,
        received_at=received,
        status=WorkItem.Status.ASSIGNED,
        owner=assistant,
        language="es",
    )
    inbound = _message(
        item, 0, direction="in", status="received", body="¿Puedo cambiar mi cita?", language="es"
    )
    outbound = _message(item, 5, sent_by=assistant, body="Claro, le escribo pronto.", language="es")
    failed = _message(item, 9, channel="portal", status="failed", body="Portal note")

    result = export_fhir_bundle(practice=practice_a, since=SINCE, until=UNTIL, now=NOW)

    resources = _resources(result)
    assert result.counts == {"Patient": 1, "Task": 1, "Communication": 3}
    assert result.patient_ids == {maria.pk}
    (patient,) = resources["Patient"]
    assert patient.id == str(maria.code)
    assert patient.identifier[0].value == "MRN-1001"
    assert patient.identifier[0].type.coding[0].code == "MR"
    assert patient.communication[0].language.coding[0].code == "es"
    (task,) = resources["Task"]
    assert task.id == str(item.code)
    assert (task.status, task.intent) == ("accepted", "order")
    assert task.for_fhir.reference == f"urn:uuid:{maria.code}"
    assert task.owner.display == (assistant.get_full_name() or assistant.username)
    assert task.restriction.period.end == item.due_at
    assert task.code.coding[0].code == "reschedule"
    comms = {c.id: c for c in resources["Communication"]}
    first = comms[str(inbound.code)]
    assert (first.status, first.language) == ("completed", "es")
    assert first.received == inbound.created
    assert first.sender.reference == f"urn:uuid:{maria.code}"
    assert first.about[0].reference == f"urn:uuid:{item.code}"
    assert first.payload[0].contentString == "¿Puedo cambiar mi cita?"
    second = comms[str(outbound.code)]
    assert second.sent == outbound.created
    assert second.subject.reference == f"urn:uuid:{maria.code}"
    assert second.medium[0].coding[0].code == "WRITTEN"
    assert second.sender.display == assistant.first_name
    third = comms[str(failed.code)]
    assert (third.status, third.statusReason.text) == ("not-done", "Failed")
    assert third.medium[0].coding[0].code == "ONLINEWRIT"
    assert third.sent is None


def test_open_items_are_tasks_with_their_status_and_resolved_items_only_via_messages(
    practice_a, patient, assistant
):
    received = datetime(2026, 11, 10, 14, 0, tzinfo=UTC)
    waiting = factories.make_item(
        practice_a, patient=patient, received_at=received, status="waiting", owner=assistant
    )
    new = factories.make_item(practice_a, patient=patient, received_at=received)
    # Two resolved items alike: only the one with a message in the range is exported.
    quiet_resolved, talked_resolved = (
        factories.make_item(
            practice_a,
            patient=patient,
            received_at=received,
            status="resolved",
            owner=assistant,
            resolved_at=received + timedelta(hours=1),
        )
        for _ in range(2)
    )
    _message(talked_resolved, 1)

    resources = _resources(
        export_fhir_bundle(practice=practice_a, since=SINCE, until=UNTIL, now=NOW)
    )

    statuses = {task.id: task.status for task in resources["Task"]}
    assert statuses == {
        str(waiting.code): "on-hold",
        str(new.code): "requested",
        str(talked_resolved.code): "completed",
    }
    assert str(quiet_resolved.code) not in statuses


def test_the_export_keeps_to_its_practice_and_date_range(practice_a, practice_b, patient):
    inside = factories.make_item(
        practice_a, patient=patient, received_at=datetime(2026, 11, 28, 23, 0, tzinfo=UTC)
    )
    _message(inside, 1)  # 18:01 in New York on the 28th: inside
    _message(inside, 2, created=datetime(2026, 11, 29, 5, 30, tzinfo=UTC))  # 29th locally
    other = factories.make_item(practice_b, patient=factories.make_patient(practice_b))
    _message(other, 1)

    result = export_fhir_bundle(practice=practice_a, since=SINCE, until=UNTIL, now=NOW)

    assert result.counts["Communication"] == 1
    assert result.patient_ids == {patient.pk}


def test_an_empty_period_is_still_a_valid_bundle(practice_a):
    result = export_fhir_bundle(
        practice=practice_a, since=date(2020, 1, 1), until=date(2020, 1, 2), now=NOW
    )

    assert Bundle.model_validate_json(result.json).entry is None
    assert result.patient_ids == set()
