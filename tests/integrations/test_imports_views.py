from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from queue_app.models import Appointment, AuditEvent, Patient
from tests import factories
from tests.factories import verified_login
from tests.integrations.helpers import FHIR, upload


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _url(name: str, practice) -> str:
    return reverse(f"imports:{name}", kwargs={"slug": practice.slug})


def _post_bundle(client, practice, name: str, **extra):
    with (FHIR / name).open("rb") as handle:
        return client.post(_url("fhir-import", practice), {"bundle": handle}, **extra)


# --- the page -------------------------------------------------------------------------------


def test_admin_sees_the_import_and_export_forms(client, admin_user, practice_a):
    verified_login(client, admin_user)

    response = client.get(_url("practice", practice_a))

    assert response.status_code == 200
    assert b"Import a FHIR R4 bundle" in response.content
    assert b"Import a CSV file" in response.content
    assert b"Export to FHIR R4" in response.content


def test_manager_sees_only_the_export(client, manager, practice_a):
    verified_login(client, manager)

    response = client.get(_url("practice", practice_a))

    assert response.status_code == 200
    assert b"Import a FHIR R4 bundle" not in response.content
    assert b"Export to FHIR R4" in response.content


def test_assistant_gets_403(client, assistant, practice_a):
    verified_login(client, assistant)

    assert client.get(_url("practice", practice_a)).status_code == 403


def test_outsider_gets_404(client, outsider, practice_a):
    verified_login(client, outsider)

    assert client.get(_url("practice", practice_a)).status_code == 404
    assert _post_bundle(client, practice_a, "clinic_bundle.json").status_code == 404
    assert client.get(_url("fhir-export", practice_a)).status_code == 404
    assert not Patient.objects.exists()


def test_anonymous_is_sent_to_login(client, practice_a):
    response = client.get(_url("practice", practice_a))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_home_sends_a_one_practice_admin_to_that_practice(client, admin_user, practice_a):
    verified_login(client, admin_user)

    response = client.get(reverse("imports:home"))

    assert response.status_code == 302
    assert response.url == _url("practice", practice_a)


# --- FHIR import ----------------------------------------------------------------------------


def test_admin_imports_a_bundle_and_sees_the_report(client, admin_user, practice_a):
    verified_login(client, admin_user)

    response = _post_bundle(client, practice_a, "bad_resources.json")

    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    assert "3 created, 0 updated, 0 unchanged, 8 not imported, 2 warnings" in text
    assert b"phone is not a phone number" in response.content
    assert Patient.objects.filter(practice=practice_a).count() == 2
    event = AuditEvent.objects.get(action="fhir_import")
    assert event.actor == admin_user
    assert event.practice == practice_a
    assert event.patient_ids == sorted(Patient.objects.values_list("pk", flat=True))


def test_htmx_import_gets_the_card_fragment(client, admin_user, practice_a):
    verified_login(client, admin_user)

    response = _post_bundle(client, practice_a, "clinic_bundle.json", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b'id="fhir-card"' in response.content
    assert b"6 created" in response.content


def test_a_malformed_file_is_reported_on_the_page(client, admin_user, practice_a):
    verified_login(client, admin_user)

    response = _post_bundle(client, practice_a, "malformed.json")

    assert response.status_code == 200
    assert b"was not imported: the file is not valid JSON" in response.content
    assert not Patient.objects.exists()


def test_manager_may_not_import(client, manager, practice_a):
    verified_login(client, manager)

    assert _post_bundle(client, practice_a, "clinic_bundle.json").status_code == 403
    assert not Patient.objects.exists()


def test_import_get_is_405(client, admin_user, practice_a):
    verified_login(client, admin_user)

    assert client.get(_url("fhir-import", practice_a)).status_code == 405


def test_a_bundle_over_the_upload_limit_is_refused(client, admin_user, practice_a, settings):
    settings.IMPORT_FHIR_MAX_BYTES = 1024
    verified_login(client, admin_user)

    response = _post_bundle(client, practice_a, "clinic_bundle.json")

    assert response.status_code == 200
    assert b"the limit is 0.0 MB. Split it and import the parts." in response.content
    assert not Patient.objects.exists()
    assert not AuditEvent.objects.filter(action="fhir_import").exists()


# --- CSV ------------------------------------------------------------------------------------


def test_csv_upload_map_preview_commit(
    client, admin_user, practice_a, tmp_path, django_capture_on_commit_callbacks, eager_celery
):
    verified_login(client, admin_user)

    response = client.post(_url("csv-upload", practice_a), {"file": upload("patients_bad.csv")})

    assert response.status_code == 302
    assert response.url == _url("csv-mapping", practice_a)
    token = client.session["csv_import"]["token"]
    assert token not in response.url
    assert (tmp_path / "imports" / f"{token}.csv").exists()

    mapping_page = client.get(response.url)
    assert mapping_page.status_code == 200
    assert b'<option value="phone" selected>' in mapping_page.content

    fields = ["external_id", "first_name", "last_name", "date_of_birth", "phone"]
    fields += ["preferred_language", "appointment_id", "appointment_start", "appointment_end"]
    response = client.post(response.url, {f"col_{i}": f for i, f in enumerate(fields)})
    assert response.status_code == 302
    assert response.url == _url("csv-preview", practice_a)

    preview = client.get(response.url)
    assert preview.status_code == 200
    assert b"2 ready to import" in preview.content
    assert b"unknown language &#x27;Klingon&#x27;" in preview.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in preview.content
    assert b"<script>alert(1)" not in preview.content
    assert not Patient.objects.exists()
    assert AuditEvent.objects.filter(action="csv_import_preview", actor=admin_user).exists()

    with django_capture_on_commit_callbacks(execute=True):  # the worker, eagerly
        queued = client.post(_url("csv-commit", practice_a))
    assert queued.status_code == 302
    done = client.get(queued.url)
    assert b"2 created" in done.content
    assert b"<script>alert" not in done.content
    assert sorted(Patient.objects.values_list("external_id", flat=True)) == ["B-1", "B-6"]
    assert "csv_import" not in client.session
    assert not (tmp_path / "imports" / f"{token}.csv").exists()
    event = AuditEvent.objects.get(action="csv_import")
    assert event.patient_ids == sorted(Patient.objects.values_list("pk", flat=True))


def test_csv_over_the_size_limit_is_refused_with_a_clear_error(
    client, admin_user, practice_a, settings
):
    settings.IMPORT_CSV_MAX_BYTES = 200
    verified_login(client, admin_user)

    response = client.post(_url("csv-upload", practice_a), {"file": upload("patients.csv")})

    assert response.status_code == 200
    assert b"the limit is 0.0 MB. Split it and import the parts." in response.content
    assert "csv_import" not in client.session


def test_a_field_chosen_twice_is_an_error_on_the_mapping_page(client, admin_user, practice_a):
    verified_login(client, admin_user)
    client.post(_url("csv-upload", practice_a), {"file": upload("patients_semicolon.csv")})

    response = client.post(
        _url("csv-mapping", practice_a),
        {"col_0": "external_id", "col_1": "phone", "col_4": "phone"},
    )

    assert response.status_code == 200
    assert b"Phone is chosen for two columns." in response.content


def test_preview_without_an_upload_says_it_expired(client, admin_user, practice_a):
    verified_login(client, admin_user)

    response = client.get(_url("csv-preview", practice_a))

    assert response.status_code == 200
    assert b"The upload has expired; upload the file again." in response.content


def test_discard_deletes_the_upload(client, admin_user, practice_a, tmp_path):
    verified_login(client, admin_user)
    client.post(_url("csv-upload", practice_a), {"file": upload("patients.csv")})
    token = client.session["csv_import"]["token"]

    response = client.post(_url("csv-discard", practice_a))

    assert response.status_code == 302
    assert not (tmp_path / "imports" / f"{token}.csv").exists()
    assert "csv_import" not in client.session


def test_assistant_may_not_upload_csv(client, assistant, practice_a):
    verified_login(client, assistant)

    response = client.post(_url("csv-upload", practice_a), {"file": upload("patients.csv")})

    assert response.status_code == 403


# --- export ---------------------------------------------------------------------------------


def test_manager_downloads_a_valid_export_and_it_is_audited(client, manager, practice_a, item):
    factories.make_message(
        item,
        direction="in",
        body="Hello",
        status="received",
        created=timezone.now() - timedelta(minutes=5),
    )
    verified_login(client, manager)
    today = timezone.localdate()

    response = client.get(
        _url("fhir-export", practice_a), {"since": today - timedelta(days=7), "until": today}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert response["Content-Disposition"].startswith('attachment; filename="alpha-')
    bundle = Bundle.model_validate_json(response.content)
    kinds = sorted(entry.resource.get_resource_type() for entry in bundle.entry)
    assert kinds == ["Communication", "Patient", "Task"]
    event = AuditEvent.objects.get(action="fhir_export")
    assert (event.actor, event.patient_ids) == (manager, [item.patient.pk])


def test_an_inverted_range_shows_the_form_error(client, manager, practice_a):
    verified_login(client, manager)

    response = client.get(
        _url("fhir-export", practice_a), {"since": "2026-11-28", "until": "2026-11-01"}
    )

    assert response.status_code == 200
    assert b"The end date is before the start date." in response.content
    assert not AuditEvent.objects.filter(action="fhir_export").exists()


def test_assistant_may_not_export(client, assistant, practice_a):
    verified_login(client, assistant)

    response = client.get(
        _url("fhir-export", practice_a), {"since": "2026-11-01", "until": "2026-11-28"}
    )

    assert response.status_code == 403


def test_an_imported_appointment_belongs_to_the_importing_practice(
    client, admin_user, practice_a, practice_b
):
    factories.make_user("admin-b", practice_b, "admin")
    verified_login(client, admin_user)

    _post_bundle(client, practice_a, "clinic_bundle.json")

    assert set(Appointment.objects.values_list("practice__slug", flat=True)) == {"alpha"}


def test_a_deeply_nested_bundle_is_refused_on_the_page_too(client, admin_user, practice_a):
    verified_login(client, admin_user)
    depth = 100_000
    nested = ('{"resourceType":"Bundle","entry":[' + "[" * depth + "]" * depth + "]}").encode()

    response = client.post(_url("fhir-import", practice_a), {"bundle": upload("deep.json", nested)})

    assert response.status_code == 200
    assert b"it is nested more than 64 levels deep" in response.content
    assert not Patient.objects.exists()
