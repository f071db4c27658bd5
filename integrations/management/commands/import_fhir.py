"""Import a FHIR R4 Bundle of Patients and Appointments into one practice."""

from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from integrations.fhir_import import import_fhir_bundle
from integrations.management.file_import import FileImportCommand
from queue_app.audit import record_service_action


class Command(FileImportCommand):
    help = (
        "Import a FHIR R4 Bundle (JSON) of Patient and Appointment resources. Idempotent: "
        "an unchanged bundle changes nothing. Invalid resources are reported by their entry "
        "number and the rest imports; the command then exits non-zero."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        practice, path = self.practice_and_path(options)
        try:
            with path.open("rb") as source:
                report = import_fhir_bundle(
                    practice=practice, source=source, filename=path.name, now=timezone.now()
                )
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        record_service_action(
            service="import_fhir",
            action="fhir_import",
            practice=practice,
            patient_ids=report.patient_ids,
        )
        for line in report.lines():
            self.stdout.write(line)
        if report.fatal:
            raise CommandError(report.fatal)
        if report.errors:
            raise CommandError(f"{len(report.errors)} entries not imported (listed above)")
