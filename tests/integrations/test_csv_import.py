import os
from datetime import UTC, date, datetime, timedelta

import pytest

from integrations import csv_import
from integrations.csv_import import CsvFileError
from queue_app import changes
from queue_app.models import Appointment, Consent, Patient
from tests.integrations.helpers import CSV, NOW, upload


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _stored(name: str) -> tuple[str, dict[str, int]]:
    token = csv_import.store_upload(upload=upload(name), now=NOW)
    header, _rows = csv_import.read_upload(token)
    return token, csv_import.guess_mapping(header)


def test_it_guesses_the_mapping_from_the_column_names_despite_a_bom():
    _token, mapping = _stored("patients.csv")

    assert mapping == {
        "external_id": 0,
        "first_name": 1,
        "last_name": 2,
        "date_of_birth": 3,
        "phone": 4,
        "email": 5,
        "preferred_language": 6,
        "sms_consent_date": 7,
        "appointment_id": 8,
        "appointment_start": 9,
        "appointment_minutes": 10,
        "provider_name": 11,
        "appointment_status": 12,
        "telehealth_link": 13,
    }


def test_it_reads_semicolon_separated_files(practice_a):
    token, mapping = _stored("patients_semicolon.csv")

    preview = csv_import.build_preview(practice=practice_a, token=token, mapping=mapping)

    assert [row.values["first_name"] for row in preview.rows] == ["Jorge", "Ines"]
    assert preview.rows[0].patient.preferred_language == "es"
    assert preview.error_count == 0


def test_the_preview_shows_each_rows_errors_and_writes_nothing(practice_a):
    token, mapping = _stored("patients_bad.csv")

    preview = csv_import.build_preview(practice=practice_a, token=token, mapping=mapping)

    errors = {row.line: row.errors for row in preview.rows}
    assert errors == {
        2: [],
        3: ["phone is not a valid phone number"],
        4: ["date of birth is not a date (use YYYY-MM-DD or MM/DD/YYYY)"],
        5: ["unknown language 'Klingon'"],
        6: ["missing last name"],
        7: [],
        8: ["appointment ends before it starts"],
    }
    assert (preview.valid_count, preview.error_count) == (2, 5)
    assert not Patient.objects.exists()


def test_commit_imports_the_valid_rows_once_and_deletes_the_upload(practice_a):
    token, mapping = _stored("patients.csv")

    report = csv_import.commit_upload(
        practice=practice_a, token=token, mapping=mapping, filename="patients.csv", now=NOW
    )

    assert (report.created, report.updated, report.unchanged, report.errors) == (5, 0, 0, [])
    rosa = Patient.objects.get(practice=practice_a, external_id="C-100")
    assert (rosa.phone, rosa.preferred_language, rosa.email) == (
        "+13055550111",
        "es",
        "rosa@example.org",
    )
    tom = Patient.objects.get(external_id="C-101")
    assert tom.date_of_birth == date(1958, 6, 22)
    visit = Appointment.objects.get(external_id="V-901")
    assert visit.patient == tom
    assert visit.starts_at == datetime(2026, 12, 9, 19, 15, tzinfo=UTC)  # 2:15 PM in New York
    assert visit.ends_at - visit.starts_at == timedelta(minutes=30)
    assert (visit.kind, visit.status) == ("telehealth", "booked")
    consent = Consent.objects.get(patient=rosa)
    assert consent.source == "import patients.csv"
    assert not Consent.objects.filter(patient=tom).exists()
    assert not csv_import.upload_path(token).exists()
    assert report.patient_ids == set(Patient.objects.values_list("pk", flat=True))

    again_token, _ = _stored("patients.csv")
    again = csv_import.commit_upload(
        practice=practice_a, token=again_token, mapping=mapping, filename="again.csv", now=NOW
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert Consent.objects.filter(patient=rosa).count() == 1


def test_commit_skips_rows_with_errors_and_reports_their_lines(practice_a):
    token, mapping = _stored("patients_bad.csv")

    report = csv_import.commit_upload(
        practice=practice_a, token=token, mapping=mapping, filename="bad.csv", now=NOW
    )

    assert [issue.index for issue in report.errors] == [3, 4, 5, 6, 8]
    assert sorted(Patient.objects.values_list("external_id", flat=True)) == ["B-1", "B-6"]
    assert Patient.objects.get(external_id="B-6").first_name == "<script>alert(1)</script>"


def test_a_file_over_the_size_limit_is_refused_with_a_clear_error(settings):
    settings.IMPORT_CSV_MAX_BYTES = 100

    with pytest.raises(CsvFileError, match=r"the limit is 0\.0 MB"):
        csv_import.store_upload(upload=upload("big.csv", b"MRN\n" + b"x" * 200), now=NOW)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfeM\x00R\x00N\x00", "not UTF-8"),
        (b"MRN,First Name\n", "no header row or no data rows"),
    ],
)
def test_unreadable_files_are_refused(content, message):
    with pytest.raises(CsvFileError, match=message):
        csv_import.store_upload(upload=upload("x.csv", content), now=NOW)


def test_uploads_older_than_an_hour_are_purged(tmp_path):
    token, _ = _stored("patients.csv")
    path = csv_import.upload_path(token)
    old = (NOW - timedelta(hours=2)).timestamp()
    os.utime(path, (old, old))

    assert csv_import.purge_stale_uploads(now=NOW) == 1
    assert not path.exists()
    with pytest.raises(CsvFileError, match="expired"):
        csv_import.read_upload(token)


def test_a_token_that_is_not_one_never_reaches_the_file_system():
    with pytest.raises(CsvFileError):
        csv_import.upload_path("../../etc/passwd")


def test_mapping_requires_the_patient_id_and_name_columns():
    assert csv_import.mapping_errors({"first_name": 0, "appointment_id": 1}) == [
        "Choose the column for Patient id (MRN).",
        "Choose the column for Last name.",
        "Appointments need a column for Appointment start.",
    ]


def test_a_renamed_patient_is_news_to_the_open_queues(
    practice_a, django_capture_on_commit_callbacks
):
    # A queue row prints the patient's name; a rename records no item event, so the import
    # renews the practice's change mark itself (queue_app.changes).
    token, mapping = _stored("patients.csv")
    csv_import.commit_upload(
        practice=practice_a, token=token, mapping=mapping, filename="patients.csv", now=NOW
    )
    shown = changes.queue_marker(practice_ids=[practice_a.pk])
    renamed = (CSV / "patients.csv").read_bytes().replace(b"C-100,Rosa,", b"C-100,Rosalia,")
    token = csv_import.store_upload(upload=upload("renamed.csv", renamed), now=NOW)

    with django_capture_on_commit_callbacks(execute=True):
        report = csv_import.commit_upload(
            practice=practice_a, token=token, mapping=mapping, filename="renamed.csv", now=NOW
        )

    assert report.updated == 1
    assert Patient.objects.get(external_id="C-100").first_name == "Rosalia"
    assert changes.queue_marker(practice_ids=[practice_a.pk]) != shown
