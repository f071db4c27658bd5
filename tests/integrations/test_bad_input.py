"""Bad and oversized files: each refusal names its entry or line, nothing is half-written, the
commands exit non-zero and never with a traceback (issue 19, item 6)."""

import json
import resource
import time
import tracemalloc
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from integrations.fhir_import import import_fhir_bundle
from queue_app.models import Appointment, Patient
from tests.integrations.helpers import NOW

PATIENT = {
    "resourceType": "Patient",
    "id": "p-1",
    "name": [{"use": "official", "given": ["Rosa"], "family": "Delgado"}],
    "telecom": [{"system": "phone", "value": "(305) 555-0111", "use": "mobile"}],
}


def _bundle(*resources: dict) -> bytes:
    entries = [{"resource": resource} for resource in resources]
    return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": entries}).encode()


def _appointment(*participants: dict) -> dict:
    return {
        "resourceType": "Appointment",
        "id": "a-1",
        "status": "booked",
        "start": "2026-12-03T09:00:00-05:00",
        "end": "2026-12-03T09:30:00-05:00",
        "participant": [{"actor": {"reference": "Patient/p-1"}, "status": "accepted"}]
        + [{"actor": actor, "status": "accepted"} for actor in participants],
    }


def _command(*args: str) -> tuple[str, str]:
    """Run a command that must refuse something: (its report, the CommandError's message)."""
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue(), str(refused.value)


# --- FHIR -----------------------------------------------------------------------------------


def test_import_fhir_honours_the_same_size_limit_as_the_web_form(practice_a, settings, tmp_path):
    path = tmp_path / "bundle.json"
    path.write_bytes(_bundle(PATIENT))
    settings.IMPORT_FHIR_MAX_BYTES = 100

    _out, message = _command("import_fhir", str(path), "--practice", "alpha")

    assert "the limit is 0.0 MB" in message and "Split it" in message
    assert not Patient.objects.exists()


def test_a_bundle_nested_100000_deep_is_refused_at_once_in_bounded_memory(practice_a):
    depth = 100_000
    entry = '{"resource":' * depth + "1" + "}" * depth
    source = BytesIO(('{"resourceType":"Bundle","entry":[' + entry + "]}").encode())
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()

    report = import_fhir_bundle(practice=practice_a, source=source, filename="deep.json", now=NOW)

    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert report.fatal == "the file is not a FHIR Bundle: it is nested more than 64 levels deep"
    # Before the limit: 157 MB at 5,000 levels, 22 GB at 100,000 (memory grew with depth²).
    assert seconds < 2, seconds
    assert peak < 5 * 1024 * 1024, peak
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 50 * 1024


def test_a_nul_character_in_a_value_is_named_and_the_other_entries_import(practice_a, tmp_path):
    bad = {**PATIENT, "id": "p-2", "name": [{"given": ["Ro\u0000sa"], "family": "Lima"}]}
    path = tmp_path / "bundle.json"
    path.write_bytes(_bundle(PATIENT, bad))

    out, message = _command("import_fhir", str(path), "--practice", "alpha")

    assert "  error   #1 Patient: name[0].given[0] holds a NUL character (\\u0000)" in out
    assert "database" not in out
    assert message == "1 entries not imported (listed above)"
    assert list(Patient.objects.values_list("external_id", flat=True)) == ["p-1"]


def test_invalid_utf8_in_a_bundle_names_its_line(practice_a, tmp_path):
    path = tmp_path / "bundle.json"
    path.write_bytes(b'{"resourceType": "Bundle",\n"entry": [\n{"resource": "Jos\xe9"}]}')

    _out, message = _command("import_fhir", str(path), "--practice", "alpha")

    assert message == "line 3 is not UTF-8 text"


def test_import_fhir_names_a_missing_file(practice_a, tmp_path):
    _out, message = _command("import_fhir", str(tmp_path / "absent.json"), "--practice", "alpha")

    assert message == f"no file at {tmp_path / 'absent.json'}"


def test_a_practitioner_given_by_name_only_is_the_provider(practice_a):
    bundle = _bundle(PATIENT, _appointment({"display": "Dr. Ana Ruiz"}))

    report = import_fhir_bundle(
        practice=practice_a, source=BytesIO(bundle), filename="b.json", now=NOW
    )

    assert (report.created, report.errors, report.warnings) == (2, [], [])
    assert Appointment.objects.get().provider_name == "Dr. Ana Ruiz"


def test_a_location_given_by_name_only_is_not_mistaken_for_the_provider(practice_a):
    bundle = _bundle(
        PATIENT,
        _appointment({"type": "Location", "display": "Suite 200"}, {"display": "Dr. Ana Ruiz"}),
    )

    import_fhir_bundle(practice=practice_a, source=BytesIO(bundle), filename="b.json", now=NOW)

    appointment = Appointment.objects.get()
    assert (appointment.provider_name, appointment.location) == ("Dr. Ana Ruiz", "Suite 200")


# --- CSV ------------------------------------------------------------------------------------

HEADER = "MRN,First Name,Last Name,Mobile\n"


def _csv(tmp_path: Path, body: bytes) -> Path:
    path = tmp_path / "patients.csv"
    path.write_bytes(HEADER.encode() + body)
    return path


def test_invalid_utf8_names_its_line_and_nothing_is_imported(practice_a, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    path = _csv(tmp_path, b"C-1,Rosa,Delgado,\nC-2,Jos\xe9,Ruiz,\n")

    _out, message = _command("import_csv", str(path), "--practice", "alpha")

    assert message == "Line 3 is not UTF-8 text. Save the file as 'CSV UTF-8'."
    assert not Patient.objects.exists()
    assert not list(tmp_path.glob("imports/*.csv"))


def test_a_nul_character_names_column_and_line_and_the_other_rows_import(
    practice_a, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    # Line 3 is blank and skipped: the bad row is on line 4 of the file, as an editor shows it.
    path = _csv(tmp_path, b"C-1,Rosa,Delgado,\n\nC-2,Ana,Li\x00ma,\nC-3,Tom,Baker,\n")

    out, message = _command("import_csv", str(path), "--practice", "alpha")

    assert "  error   #4 row: last name holds a NUL character" in out
    assert "database" not in out
    assert message == "1 rows not imported (listed above)"
    assert sorted(Patient.objects.values_list("external_id", flat=True)) == ["C-1", "C-3"]


def test_a_cell_over_the_csv_size_limit_names_its_line(practice_a, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    path = _csv(tmp_path, b"C-1,Rosa,Delgado,\nC-2,Ana," + b"x" * 200_000 + b",\n")

    _out, message = _command("import_csv", str(path), "--practice", "alpha")

    assert message.startswith("Line 3 cannot be read: field larger than field limit")
    assert not Patient.objects.exists()


def test_import_csv_names_a_missing_file(practice_a, tmp_path):
    _out, message = _command("import_csv", str(tmp_path / "absent.csv"), "--practice", "alpha")

    assert message == f"no file at {tmp_path / 'absent.csv'}"


def test_a_row_the_database_refuses_is_named_and_its_batch_neighbours_are_kept(
    practice_a, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    rows = b"".join(b"C-%d,Given%d,Family%d,\n" % (n, n, n) for n in range(1, 8))
    path = _csv(tmp_path, rows.replace(b"Given4", b"Refused"))
    with connection.cursor() as cursor:  # a rule only the database knows (rolled back after)
        cursor.execute(
            "ALTER TABLE queue_app_patient ADD CONSTRAINT test_refused "
            "CHECK (first_name <> 'Refused')"
        )

    out, message = _command("import_csv", str(path), "--practice", "alpha")

    assert "  error   #5 row: the database refused this row" in out
    assert out.startswith("patients.csv: 6 created, 0 updated, 0 unchanged, 1 errors")
    assert message == "1 rows not imported (listed above)"
    assert Patient.objects.count() == 6
    assert not Patient.objects.filter(external_id="C-4").exists()
