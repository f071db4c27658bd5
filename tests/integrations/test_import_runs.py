"""A CSV committed from the web is imported by a background job, whose page shows its progress."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from integrations import batch_import, csv_import, import_runs
from integrations.models import ImportRun
from messaging.reminders import sync_reminders
from queue_app.models import Appointment, AuditEvent, Patient, Reminder, Role
from tests import factories
from tests.factories import verified_login
from tests.integrations.helpers import upload

HEADER = "MRN,First Name,Last Name,Mobile,Appointment ID,Appointment Start,Duration,Status"


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _url(name: str, practice, **kwargs) -> str:
    return reverse(f"imports:{name}", kwargs={"slug": practice.slug, **kwargs})


def _rows(count: int, start: datetime, bad: dict[int, str] | None = None) -> bytes:
    lines = [HEADER]
    for n in range(count):
        when = (start + timedelta(minutes=15 * n)).strftime("%Y-%m-%d %H:%M")
        status = "booked" if n % 5 else "cancelled"
        lines.append(f"R-{n},Given{n},Family{n},,V-{n},{when},20,{status}")
    for line, text in (bad or {}).items():
        lines[line - 1] = text
    return ("\n".join(lines) + "\n").encode()


def _commit(client, practice, content: bytes) -> str:
    """Upload, keep the guessed mapping, commit: the progress page's URL."""
    assert (
        client.post(_url("csv-upload", practice), {"file": upload("p.csv", content)}).status_code
        == 302
    )
    mapping = csv_import.guess_mapping(HEADER.split(","))
    form = {f"col_{index}": field for field, index in mapping.items()}
    assert client.post(_url("csv-mapping", practice), form).status_code == 302
    response = client.post(_url("csv-commit", practice))
    assert response.status_code == 302
    return response.url


def test_the_web_commit_runs_in_the_background_and_its_page_shows_every_refused_line(
    client, admin_user, practice_a, tmp_path, django_capture_on_commit_callbacks, eager_celery
):
    verified_login(client, admin_user)
    start = timezone.now() + timedelta(days=20)
    content = _rows(1_200, start, bad={4: "R-2,Ana,,,V-2,,,", 900: "R-898,Tom,Baker,12345,,,,"})

    with django_capture_on_commit_callbacks(execute=True):  # the task, through Celery, eagerly
        page_url = _commit(client, practice_a, content)

    run = ImportRun.objects.get()
    assert page_url == _url("csv-run", practice_a, code=run.code)
    assert (run.status, run.rows_done, run.rows_total) == ("done", 1_200, 1_200)
    assert (run.created_count, run.updated_count, run.unchanged_count) == (2 * 1_198, 0, 0)
    assert run.refusals == [
        [4, "missing last name; missing appointment start"],
        [900, "phone is not a valid phone number"],
    ]
    assert run.content == ""  # the file's patient data does not outlive the run
    assert not list(tmp_path.glob("imports/*.csv"))
    assert Patient.objects.filter(practice=practice_a).count() == 1_198
    page = client.get(page_url)
    assert page.status_code == 200
    assert b"2396 created, 0 updated, 0 unchanged" in page.content
    assert b"<td>900</td>" in page.content and b"phone is not a valid phone number" in page.content
    assert b"every 2s" not in page.content  # finished: no more polling
    started = AuditEvent.objects.get(action="csv_import_started")
    assert (started.actor, started.object_code) == (admin_user, str(run.code))
    written = AuditEvent.objects.get(action="csv_import", service="import_csv")
    assert written.patient_ids == sorted(Patient.objects.values_list("pk", flat=True))
    assert AuditEvent.objects.filter(action="csv_import_progress", actor=admin_user).exists()


def test_the_page_polls_while_the_run_is_queued_and_stops_once_it_is_done(
    client, admin_user, practice_a, django_capture_on_commit_callbacks
):
    verified_login(client, admin_user)
    with django_capture_on_commit_callbacks() as queued:  # not run yet: the worker is late
        page_url = _commit(client, practice_a, _rows(3, timezone.now() + timedelta(days=3)))
    assert len(queued) == 1

    waiting = client.get(page_url, headers={"HX-Request": "true"})
    assert waiting.status_code == 200
    assert (
        b'hx-trigger="every 2s"' in waiting.content and b"Waiting for a worker" in waiting.content
    )
    assert not Patient.objects.exists()

    import_runs.run_import(run_id=ImportRun.objects.get().pk, now=timezone.now())
    done = client.get(page_url, headers={"HX-Request": "true"})

    assert done.status_code == 286  # htmx swaps the final state in and stops polling
    assert b"every 2s" not in done.content and b"6 created" in done.content


def test_a_redelivered_run_writes_nothing_twice(practice_a, admin_user):
    now = timezone.now()
    token = csv_import.store_upload(
        upload=upload("p.csv", _rows(5, now + timedelta(days=3))), now=now
    )
    run = import_runs.start_csv_import(
        practice=practice_a,
        user=admin_user,
        token=token,
        mapping=csv_import.guess_mapping(HEADER.split(",")),
        filename="p.csv",
        now=now,
    )

    ImportRun.objects.filter(pk=run.pk).update(status="running")  # a worker took it and died
    import_runs.run_import(run_id=run.pk, now=now)  # the broker delivers it again
    import_runs.run_import(run_id=run.pk, now=now)  # and a late duplicate finds it done

    run.refresh_from_db()
    assert (run.status, run.created_count, run.unchanged_count) == ("done", 10, 0)
    assert Patient.objects.count() == 5 and Appointment.objects.count() == 5


def test_only_the_practices_admins_see_a_run(client, practice_a, practice_b, admin_user):
    run = ImportRun.objects.create(
        practice=practice_a, started_by=admin_user, filename="p.csv", created=timezone.now()
    )
    assistant = factories.make_user("assistant-x", practice_a, Role.ASSISTANT)
    other_admin = factories.make_user("admin-b", practice_b, Role.ADMIN)

    verified_login(client, assistant)
    assert client.get(_url("csv-run", practice_a, code=run.code)).status_code == 403
    verified_login(client, other_admin)
    assert client.get(_url("csv-run", practice_a, code=run.code)).status_code == 404
    assert client.get(_url("csv-run", practice_b, code=run.code)).status_code == 404
    assert not AuditEvent.objects.filter(action="csv_import_progress").exists()


def test_batched_rows_get_the_reminders_sync_reminders_would_give_them(practice_a):
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    text = _rows(batch_import.BATCH_SIZE + 20, now + timedelta(days=10)).decode()
    mapping = csv_import.guess_mapping(HEADER.split(","))

    report = csv_import.commit_text(
        practice=practice_a, text=text, mapping=mapping, filename="p.csv", now=now
    )

    assert (report.created, report.errors) == (2 * 520, [])
    reminders = set(
        Reminder.objects.values_list("appointment_id", "kind", "due_at", "offset_minutes")
    )
    assert len(reminders) == 416 * 2  # booked ones only (one in five is cancelled), no telehealth
    for appointment in Appointment.objects.all():
        sync_reminders(appointment=appointment, now=now)
    assert (
        set(Reminder.objects.values_list("appointment_id", "kind", "due_at", "offset_minutes"))
        == reminders
    )
    again = csv_import.commit_text(
        practice=practice_a, text=text, mapping=mapping, filename="p.csv", now=now
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2 * 520)
