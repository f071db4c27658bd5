"""The web's CSV import run by a real Celery worker process over the Redis broker."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations import csv_import, import_runs
from integrations.models import ImportRun
from queue_app.models import Patient, Role
from tests import factories
from tests.integrations.helpers import upload
from tests.messaging.conftest import (  # noqa: F401  (the worker fixtures, shared)
    _worker_process,
    fake_twilio,
    fake_twilio_server,
    worker,
)
from tests.polling import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("worker")
def test_a_queued_import_is_run_by_the_worker_and_reported_done(settings, tmp_path):
    # The upload waits under this process's VAR_DIR; the worker reads the run's row only.
    settings.VAR_DIR = tmp_path
    practice = factories.make_practice(slug="worker-import", languages=["en"])
    admin = factories.make_user("admin-w", practice, Role.ADMIN)
    start = timezone.now() + timedelta(days=9)
    lines = ["MRN,First Name,Last Name,Appointment ID,Appointment Start,Duration"]
    lines += [f"W-{n},Given{n},Family{n},A-{n},{start:%Y-%m-%d} 09:{n:02d},20" for n in range(40)]
    lines.append("W-x,,Nameless,,,")
    now = timezone.now()
    token = csv_import.store_upload(upload=upload("w.csv", "\n".join(lines).encode()), now=now)

    run = import_runs.start_csv_import(
        practice=practice,
        user=admin,
        token=token,
        mapping=csv_import.guess_mapping(lines[0].split(",")),
        filename="w.csv",
        now=now,
    )  # committed at once (no transaction around the test): the task goes to the broker

    assert wait_for(lambda: ImportRun.objects.get(pk=run.pk).finished, timeout=60)
    run.refresh_from_db()
    assert (run.status, run.rows_done, run.rows_total, run.created_count) == ("done", 41, 41, 80)
    assert run.refusals == [[42, "missing first name"]]
    assert Patient.objects.filter(practice=practice).count() == 40
