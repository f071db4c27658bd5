import io
import json
from datetime import UTC, date, datetime, timedelta

from integrations.fhir_import import import_fhir_bundle
from queue_app import changes
from queue_app.models import Appointment, Consent, Patient
from tests import factories
from tests.integrations.helpers import FHIR, NOW, import_file


def _bundle(*resources: dict) -> io.BytesIO:
    entries = [{"resource": resource} for resource in resources]
    data = {"resourceType": "Bundle", "type": "collection", "entry": entries}
    return io.BytesIO(json.dumps(data).encode())


def _patient(**overrides) -> dict:
    resource = {
        "resourceType": "Patient",
        "id": "p-x",
        "name": [{"family": "Rivera", "given": ["Luz"]}],
        "telecom": [{"system": "phone", "value": "(305) 555-0150"}],
    }
    resource.update(overrides)
    return resource


def test_it_imports_patients_and_appointments_of_a_valid_bundle(practice_a):
    report = import_file(practice_a, "clinic_bundle.json")

    assert (report.created, report.updated, report.unchanged) == (6, 0, 0)
    assert report.errors == []
    assert report.by_type["Patient"]["created"] == 3
    assert report.by_type["Appointment"]["created"] == 3
    maria = Patient.objects.get(practice=practice_a, external_id="MRN-1001")
    assert (maria.first_name, maria.last_name) == ("Maria José", "García")
    assert maria.date_of_birth == date(1984, 3, 12)
    assert maria.phone == "+13055550142"  # the mobile number, not the work one
    assert maria.email == "pat-1@example.org"
    assert maria.preferred_language == "es"
    chen = Patient.objects.get(practice=practice_a, external_id="pat-3")  # no MRN: the id
    assert chen.preferred_language == "en"
    assert report.patient_ids == set(Patient.objects.values_list("pk", flat=True))


def test_it_reads_appointment_times_status_participants_and_telehealth_links(practice_a):
    import_file(practice_a, "clinic_bundle.json")

    first = Appointment.objects.get(practice=practice_a, external_id="APT-apt-1")
    assert first.patient.external_id == "MRN-1001"  # referenced before it was listed
    assert first.starts_at == datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
    assert first.ends_at - first.starts_at == timedelta(minutes=30)
    assert (first.provider_name, first.location) == ("Dr. Ana Huang", "Suite 200")
    assert (first.kind, first.telehealth_link, first.status) == ("in_person", "", "booked")
    by_urn = Appointment.objects.get(external_id="APT-apt-2")
    assert by_urn.patient.external_id == "MRN-1002"
    assert by_urn.kind == "telehealth"
    assert by_urn.telehealth_link == "https://video.example.org/visit/apt-2"
    pending = Appointment.objects.get(external_id="APT-apt-3")
    assert pending.status == "booked"
    assert pending.telehealth_link == "https://video.example.org/visit/apt-3"


def test_importing_the_same_bundle_twice_changes_nothing(practice_a):
    import_file(practice_a, "clinic_bundle.json")
    stamps = sorted(Patient.objects.values_list("updated", flat=True)) + sorted(
        Appointment.objects.values_list("updated", flat=True)
    )

    report = import_file(practice_a, "clinic_bundle.json", now=NOW + timedelta(hours=1))

    assert (report.created, report.updated, report.unchanged) == (0, 0, 6)
    assert Patient.objects.count() == 3
    assert Appointment.objects.count() == 3
    assert Consent.objects.filter(source__startswith="import").count() == 1
    after = sorted(Patient.objects.values_list("updated", flat=True)) + sorted(
        Appointment.objects.values_list("updated", flat=True)
    )
    assert after == stamps


def test_a_later_bundle_updates_only_what_changed(practice_a):
    import_file(practice_a, "clinic_bundle.json")
    moved = Appointment.objects.get(external_id="APT-apt-1")
    Appointment.objects.filter(pk=moved.pk).update(confirmation="confirmed", confirmed_at=NOW)

    report = import_file(practice_a, "clinic_bundle_later.json")

    assert (report.created, report.updated, report.unchanged) == (0, 3, 3)
    assert Patient.objects.get(external_id="MRN-1002").phone == "+16175550177"
    moved.refresh_from_db()
    assert moved.starts_at == datetime(2026, 12, 5, 15, 0, tzinfo=UTC)
    assert (moved.confirmation, moved.confirmed_at) == ("unconfirmed", None)
    assert Appointment.objects.get(external_id="APT-apt-2").status == "cancelled"


def test_a_moved_appointment_moves_its_reminders_and_a_cancelled_one_cancels_them(practice_a):
    import_file(practice_a, "clinic_bundle.json")
    moved = Appointment.objects.get(external_id="APT-apt-1")
    cancelled = Appointment.objects.get(external_id="APT-apt-2")
    kept = Appointment.objects.get(external_id="APT-apt-3")
    assert moved.reminders.filter(status="pending").count() == 2  # in person: no link reminder
    assert cancelled.reminders.filter(status="pending").count() == 3
    kept_before = list(kept.reminders.values_list("pk", "due_at", "updated"))

    import_file(practice_a, "clinic_bundle_later.json", now=NOW + timedelta(hours=1))

    new_start = datetime(2026, 12, 5, 15, 0, tzinfo=UTC)
    for reminder in moved.reminders.all():
        assert reminder.status == "pending"
        assert reminder.due_at == new_start - timedelta(minutes=reminder.offset_minutes)
    assert set(cancelled.reminders.values_list("status", flat=True)) == {"cancelled"}
    assert list(kept.reminders.values_list("pk", "due_at", "updated")) == kept_before


def test_a_bad_resource_is_reported_with_its_index_and_the_rest_imports(practice_a):
    report = import_file(practice_a, "bad_resources.json")

    reasons = {issue.index: (issue.resource_type, issue.reason) for issue in report.errors}
    assert set(reasons) == {1, 2, 3, 4, 5, 8, 10, 11}
    assert reasons[1] == ("Patinet", "unknown resource type 'Patinet'")
    assert reasons[2][0] == "Patient" and "birthDate" in reasons[2][1]
    assert reasons[3][0] == "Appointment" and reasons[3][1].startswith("status:")
    assert reasons[4][0] == "Appointment" and reasons[4][1].startswith("participant:")
    assert reasons[5] == ("Patient", "phone is not a phone number")
    assert "neither in this bundle nor in the practice" in reasons[8][1]
    assert reasons[10][0] == "Patient" and reasons[10][1].startswith("name")
    assert reasons[11] == ("Appointment", "status 'arrived' is not imported")
    warnings = {issue.index: issue.reason for issue in report.warnings}
    assert warnings[6] == "unknown language 'tlh'; kept the patient's language (new: English)"
    assert warnings[9].startswith("skipped")
    assert sorted(Patient.objects.values_list("external_id", flat=True)) == [
        "MRN-2001",
        "MRN-2004",
    ]
    assert Patient.objects.get(external_id="MRN-2004").preferred_language == "en"
    assert list(Appointment.objects.values_list("external_id", flat=True)) == ["APT-apt-ok"]
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)


def test_a_malformed_file_is_refused_before_anything_is_written(practice_a):
    report = import_file(practice_a, "malformed.json")

    assert report.fatal.startswith("the file is not valid JSON")
    assert Patient.objects.count() == 0
    assert report.lines() == [f"malformed.json: not imported: {report.fatal}"]


def test_a_json_file_that_is_not_a_bundle_is_refused(practice_a):
    report = import_file(practice_a, "not_a_bundle.json")

    assert report.fatal == "the file is not a FHIR Bundle (resourceType must be Bundle)"
    assert Patient.objects.count() == 0


def test_consent_is_recorded_only_when_the_file_dates_it(practice_a):
    import_file(practice_a, "clinic_bundle.json")

    consents = Consent.objects.filter(patient__practice=practice_a)
    assert consents.count() == 1
    consent = consents.get()
    assert consent.patient.external_id == "MRN-1001"
    assert (consent.channel, consent.granted) == ("sms", True)
    assert consent.recorded_at == datetime(2026, 2, 14, 15, 30, tzinfo=UTC)
    assert consent.source == "import clinic_bundle.json"


def test_a_consent_extension_without_a_date_is_not_consent(practice_a):
    undated = {"url": "https://ehr.example/sms-consent", "valueBoolean": True}
    source = _bundle(_patient(extension=[undated]))

    report = import_fhir_bundle(practice=practice_a, source=source, filename="b.json", now=NOW)

    assert report.created == 1
    assert not Consent.objects.filter(patient__external_id="p-x").exists()


def test_an_appointment_may_reference_a_patient_already_in_the_practice(practice_a):
    patient = factories.make_patient(practice_a, external_id="MRN-77")
    appointment = {
        "resourceType": "Appointment",
        "id": "a-77",
        "status": "noshow",
        "start": "2026-11-20T09:00:00-05:00",
        "minutesDuration": 15,
        "participant": [{"actor": {"reference": "Patient/MRN-77"}, "status": "accepted"}],
    }

    report = import_fhir_bundle(
        practice=practice_a, source=_bundle(appointment), filename="b.json", now=NOW
    )

    row = Appointment.objects.get(external_id="a-77")
    assert (row.patient, row.status) == (patient, "no_show")
    assert row.ends_at - row.starts_at == timedelta(minutes=15)
    assert [w.reason for w in report.warnings] == [
        "no practitioner with a display name; provider left empty"
    ]


def test_external_ids_are_matched_within_the_practice_only(practice_a, practice_b):
    other = factories.make_patient(practice_b, external_id="p-x", first_name="Other")

    import_fhir_bundle(practice=practice_a, source=_bundle(_patient()), filename="b", now=NOW)

    other.refresh_from_db()
    assert other.first_name == "Other"
    assert Patient.objects.get(practice=practice_a, external_id="p-x").first_name == "Luz"


def test_a_patient_without_a_name_or_with_an_overlong_one_is_refused(practice_a):
    nameless = _patient(id="p-1", name=[])
    long_name = _patient(id="p-2", name=[{"family": "X" * 81, "given": ["Y"]}])

    report = import_fhir_bundle(
        practice=practice_a, source=_bundle(nameless, long_name), filename="b", now=NOW
    )

    assert [(e.index, e.reason) for e in report.errors] == [
        (0, "no name with a given and a family name"),
        (1, "family name is longer than 80 characters"),
    ]
    assert not Patient.objects.exists()


def test_an_appointment_failing_after_its_patient_leaves_nothing_half_made(practice_a):
    ends_first = {
        "resourceType": "Appointment",
        "id": "a-1",
        "status": "booked",
        "start": "2026-12-01T10:00:00Z",
        "end": "2026-12-01T09:00:00Z",
        "participant": [{"actor": {"reference": "Patient/p-x"}, "status": "accepted"}],
    }

    report = import_fhir_bundle(
        practice=practice_a, source=_bundle(_patient(), ends_first), filename="b", now=NOW
    )

    assert [(e.index, e.reason) for e in report.errors] == [(1, "no end time after the start")]
    assert Patient.objects.filter(external_id="p-x").exists()
    assert not Appointment.objects.exists()


def test_the_fixture_bundles_are_valid_r4(practice_a):
    from fhir.resources.R4B.bundle import Bundle

    for name in ("clinic_bundle.json", "clinic_bundle_later.json"):
        Bundle.model_validate_json((FHIR / name).read_text())


def test_an_unknown_language_code_keeps_a_known_patients_language(practice_a):
    factories.make_patient(practice_a, external_id="p-x", preferred_language="es")
    klingon = [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "tlh"}]}}]

    report = import_fhir_bundle(
        practice=practice_a, source=_bundle(_patient(communication=klingon)), filename="b", now=NOW
    )

    assert Patient.objects.get(external_id="p-x").preferred_language == "es"
    assert report.warnings[0].reason.startswith("unknown language 'tlh'")


def test_a_renamed_patient_is_news_to_the_open_queues_a_new_phone_is_not(
    practice_a, django_capture_on_commit_callbacks
):
    # A queue row prints the patient's name; a rename records no item event, so the import
    # renews the practice's change mark itself (queue_app.changes).
    import_fhir_bundle(practice=practice_a, source=_bundle(_patient()), filename="b", now=NOW)
    shown = changes.queue_marker(practice_ids=[practice_a.pk])
    new_phone = _patient(telecom=[{"system": "phone", "value": "(305) 555-0151"}])

    with django_capture_on_commit_callbacks(execute=True):
        import_fhir_bundle(practice=practice_a, source=_bundle(new_phone), filename="b", now=NOW)
    assert changes.queue_marker(practice_ids=[practice_a.pk]) == shown

    renamed = _patient(name=[{"family": "Rivera Soto", "given": ["Luz"]}])
    with django_capture_on_commit_callbacks(execute=True):
        import_fhir_bundle(practice=practice_a, source=_bundle(renamed), filename="b", now=NOW)
    assert changes.queue_marker(practice_ids=[practice_a.pk]) != shown
