"""An import run in the background: a CSV committed from the web is written by a worker,
and the admin follows its progress on a page that polls."""

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q

from queue_app.models import Practice


class ImportRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Stopped"

    code = models.UUIDField(default=uuid4, unique=True, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="import_runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=80)
    status = models.CharField(max_length=8, choices=Status, default=Status.QUEUED)
    # The file's text and column mapping, kept in the database (not on the web host's disk) so
    # any worker can read it; emptied when the run ends, as it holds patient data.
    content = models.TextField(blank=True)
    mapping = models.JSONField(default=dict)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    # [[line, reason], ...]: every row not imported, in the order of the file.
    refusals = models.JSONField(default=list)
    failure = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running"]) | Q(finished_at__isnull=False),
                name="import_run_finished_has_time",
            ),
            models.CheckConstraint(
                condition=Q(rows_done__lte=models.F("rows_total")),
                name="import_run_done_within_total",
            ),
        ]
        indexes = [models.Index(fields=["practice", "-created"], name="import_run_recent")]

    def __str__(self) -> str:
        return f"import run {self.code}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return 100 if not self.rows_total else round(100 * self.rows_done / self.rows_total)
