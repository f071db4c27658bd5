from celery import shared_task
from django.utils import timezone

from integrations import import_runs


# A 50,000-row file takes under a minute; the default limits (60 s soft) are for short tasks.
# Idempotent (rows are matched by external id), so a redelivered run is safe: acks_late.
@shared_task(acks_late=True, soft_time_limit=900, time_limit=960)
def run_import_task(run_id: int) -> None:
    """Run one queued CSV import (integrations.models.ImportRun) to its end."""
    import_runs.run_import(run_id=run_id, now=timezone.now())
