"""What the import commands share: one file read into one practice."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from integrations.fhir_import import ImportReport
from queue_app.audit import record_service_action
from queue_app.models import Practice


class FileImportCommand(BaseCommand):
    """`manage.py <command> PATH --practice SLUG`; the subclass reads the file, then calls
    `finish` with its report."""

    # The audit row's service and action, and what the report's errors are errors in.
    service: str
    audit_action: str
    unit: str

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--practice", required=True, help="the practice's slug")

    def practice_and_path(self, options: dict[str, Any]) -> tuple[Practice, Path]:
        practice = Practice.objects.filter(slug=options["practice"]).first()
        if practice is None:
            raise CommandError(f"no practice with slug {options['practice']!r}")
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"no file at {path}")
        return practice, path

    def finish(self, report: ImportReport, practice: Practice) -> None:
        """Audit the import, print its report, and exit non-zero if anything was refused."""
        record_service_action(
            service=self.service,
            action=self.audit_action,
            practice=practice,
            patient_ids=report.patient_ids,
        )
        for line in report.lines():
            self.stdout.write(line)
        if report.fatal:
            raise CommandError(report.fatal)
        if report.errors:
            raise CommandError(f"{len(report.errors)} {self.unit} not imported (listed above)")
