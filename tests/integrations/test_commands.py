import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from fhir.resources.R4B.bundle import Bundle

from queue_app.models import Appointment, AuditEvent, Patient
from tests.integrations.helpers import CSV, FHIR


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _refused(*args: str, match: str) -> str:
    """Run a command that must exit non-zero with `match`; its printed report."""
    out = StringIO()
    with pytest.raises(CommandError, match=match):
        call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_fhir_prints_the_report_audits_as_a_service_and_fails_on_refusals(practice_a):
    output = _refused(
        "import_fhir",
        str(FHIR / "bad_resources.json"),
        "--practice",
        "alpha",
        match="8 entries not imported",
    )

    lines = output.splitlines()
    assert lines[0] == (
        "bad_resources.json: 3 created, 0 updated, 0 unchanged, 8 errors, 2 warnings"
    )
    assert "  error   #5 Patient: phone is not a phone number" in lines
    assert (
        "  warning #6 Patient: unknown language 'tlh'; kept the patient's language (new: English)"
        in lines
    )
    event = AuditEvent.objects.get(action="fhir_import")
    assert (event.service, event.actor) == ("import_fhir", None)
    assert event.patient_ids == sorted(Patient.objects.values_list("pk", flat=True))


def test_import_fhir_twice_reports_everything_unchanged(practice_a):
    _run("import_fhir", str(FHIR / "clinic_bundle.json"), "--practice", "alpha")

    output = _run("import_fhir", str(FHIR / "clinic_bundle.json"), "--practice", "alpha")

    assert output.startswith("clinic_bundle.json: 0 created, 0 updated, 6 unchanged, 0 errors")


def test_import_fhir_fails_on_a_malformed_file_or_unknown_practice(practice_a):
    with pytest.raises(CommandError, match="not valid JSON"):
        _run("import_fhir", str(FHIR / "malformed.json"), "--practice", "alpha")
    with pytest.raises(CommandError, match="no practice"):
        _run("import_fhir", str(FHIR / "clinic_bundle.json"), "--practice", "nowhere")
    assert not Patient.objects.exists()


def test_export_fhir_writes_a_valid_bundle_to_a_file(practice_a, tmp_path):
    _run("import_fhir", str(FHIR / "clinic_bundle.json"), "--practice", "alpha")
    out = tmp_path / "export.json"

    _run(
        "export_fhir",
        "--practice",
        "alpha",
        "--since",
        "2026-11-01",
        "--until",
        "2026-11-28",
        "--out",
        str(out),
    )

    bundle = Bundle.model_validate_json(out.read_text())
    assert bundle.type == "collection"
    assert AuditEvent.objects.filter(action="fhir_export", service="export_fhir").exists()


def test_export_fhir_writes_to_stdout_without_out(practice_a):
    output = _run(
        "export_fhir", "--practice", "alpha", "--since", "2026-11-01", "--until", "2026-11-28"
    )

    assert json.loads(output)["resourceType"] == "Bundle"


def test_import_csv_commits_valid_rows(practice_a, settings, tmp_path):
    settings.VAR_DIR = tmp_path

    output = _run("import_csv", str(CSV / "patients.csv"), "--practice", "alpha")

    assert output.startswith("patients.csv: 5 created, 0 updated, 0 unchanged, 0 errors")
    assert Appointment.objects.filter(practice=practice_a).count() == 2
    event = AuditEvent.objects.get(action="csv_import")
    assert (event.service, event.actor) == ("import_csv", None)
    assert event.patient_ids == sorted(Patient.objects.values_list("pk", flat=True))
    assert list((tmp_path / "imports").iterdir()) == []


def test_import_csv_dry_run_lists_problems_and_saves_nothing(practice_a, settings, tmp_path):
    settings.VAR_DIR = tmp_path

    output = _refused(
        "import_csv",
        str(CSV / "patients_bad.csv"),
        "--practice",
        "alpha",
        "--dry-run",
        match="5 rows would not be imported",
    )

    assert "  line 3: phone is not a valid phone number" in output
    assert output.splitlines()[-1] == "2 valid rows, 5 with problems"
    assert not Patient.objects.exists()


def test_import_csv_accepts_an_explicit_mapping(practice_a, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    path = tmp_path / "odd.csv"
    path.write_text("Chart,Nombre,Apellido\nX-1,Eva,Soto\n", encoding="utf-8")

    _run(
        "import_csv",
        str(path),
        "--practice",
        "alpha",
        "--map",
        "Chart=external_id",
        "--map",
        "Nombre=first_name",
        "--map",
        "Apellido=last_name",
    )

    assert Patient.objects.get(external_id="X-1").first_name == "Eva"
