"""Background CSV imports: start one from the web, run it in a worker, report its progress.

The view checks the upload's rows are mappable, then `start_csv_import` stores the file's text
on an ImportRun and queues `run_import_task` by name; the worker checks every row and writes
the valid ones in batches (csv_import.commit_text), saving the counts and the refused lines
after each batch, which the progress page polls. Importing is idempotent by external id, so a
run the broker delivers twice (a worker killed mid-run) writes the same rows again, harmlessly.
"""

import logging
from datetime import datetime
from uuid import UUID

from django.contrib.auth.models import User
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from integrations import csv_import
from integrations.fhir_import import ImportReport
from integrations.models import ImportRun
from queue_app.audit import record_service_action
from queue_app.jobs import enqueue
from queue_app.models import Practice

logger = logging.getLogger(__name__)

RUN_TASK = "integrations.tasks.run_import_task"
STOPPED = (
    "The import stopped unexpectedly. The rows written before are kept: import the file again "
    "to finish."
)


@transaction.atomic
def start_csv_import(
    *,
    practice: Practice,
    user: User,
    token: str,
    mapping: dict[str, int],
    filename: str,
    now: datetime,
) -> ImportRun:
    """Move the upload into a queued ImportRun and queue its worker; the upload file is gone."""
    text = csv_import.read_upload_text(token)
    run = ImportRun.objects.create(
        practice=practice,
        started_by=user,
        filename=filename[:80],
        content=text,
        mapping=mapping,
        created=now,
    )
    csv_import.delete_upload(token)
    enqueue(RUN_TASK, run.pk)
    return run


def get_run(*, practice: Practice, code: UUID) -> ImportRun:
    """The practice's run with this code; Http404 for any other (the caller checked access)."""
    run = ImportRun.objects.filter(practice=practice, code=code).first()
    if run is None:
        raise Http404("No such import.")
    return run


def run_import(*, run_id: int, now: datetime) -> None:
    """Run a queued (or redelivered, still running) import to its end."""
    claimed = ImportRun.objects.filter(
        pk=run_id, status__in=[ImportRun.Status.QUEUED, ImportRun.Status.RUNNING]
    ).update(status=ImportRun.Status.RUNNING, started_at=now)
    if not claimed:
        return
    run = ImportRun.objects.select_related("practice").get(pk=run_id)
    mapping = {name: int(index) for name, index in run.mapping.items()}

    def progress(report: ImportReport, done: int, total: int) -> None:
        ImportRun.objects.filter(pk=run_id).update(
            **_counts(report), rows_done=done, rows_total=total
        )

    try:
        report = csv_import.commit_text(
            practice=run.practice,
            text=run.content,
            mapping=mapping,
            filename=run.filename,
            now=now,
            progress=progress,
        )
    except csv_import.CsvFileError as exc:
        _finish(run_id, ImportRun.Status.FAILED, failure=str(exc)[:200])
        return
    except Exception as exc:  # its message may quote a row: only the class is logged
        logger.error("csv import run %s stopped (%s)", run_id, type(exc).__name__)
        _finish(run_id, ImportRun.Status.FAILED, failure=STOPPED)
        raise
    _finish(run_id, ImportRun.Status.DONE, **_counts(report))
    record_service_action(
        service="import_csv",
        action="csv_import",
        practice=run.practice,
        patient_ids=report.patient_ids,
    )


def _counts(report: ImportReport) -> dict:
    return {
        "created_count": report.created,
        "updated_count": report.updated,
        "unchanged_count": report.unchanged,
        "refusals": [
            [issue.index, issue.reason] for issue in sorted(report.errors, key=lambda i: i.index)
        ],
    }


def _finish(run_id: int, status: str, **values) -> None:
    ImportRun.objects.filter(pk=run_id).update(
        status=status, content="", finished_at=timezone.now(), **values
    )
