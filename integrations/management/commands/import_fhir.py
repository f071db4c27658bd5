"""Import a FHIR R4 Bundle of Patients and Appointments into one practice."""

from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from integrations.fhir_import import import_fhir_bundle
from integrations.management.file_import import FileImportCommand


class Command(FileImportCommand):
    help = (
        "Import a FHIR R4 Bundle (JSON) of Patient and Appointment resources. Idempotent: "
        "an unchanged bundle changes nothing. Invalid resources are reported by their entry "
        "number and the rest imports; the command then exits non-zero."
    )
    service, audit_action, unit = "import_fhir", "fhir_import", "entries"

    def handle(self, *args: Any, **options: Any) -> None:
        practice, path = self.practice_and_path(options)
        try:
            with path.open("rb") as source:
                report = import_fhir_bundle(
                    practice=practice, source=source, filename=path.name, now=timezone.now()
                )
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        self.finish(report, practice)
