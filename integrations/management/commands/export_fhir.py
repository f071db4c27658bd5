"""Export a practice's messages and open work items as a FHIR R4 Bundle."""

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from integrations.fhir_export import export_fhir_bundle
from queue_app.audit import record_service_action
from queue_app.models import Practice


class Command(BaseCommand):
    help = (
        "Write a validated FHIR R4 collection Bundle: messages as Communications, work items as "
        "Tasks, and their Patients, for days --since to --until (inclusive, practice time zone)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--practice", required=True, help="the practice's slug")
        parser.add_argument("--since", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--until", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--out", type=Path, default=None, help="file to write; default stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        practice = Practice.objects.filter(slug=options["practice"]).first()
        if practice is None:
            raise CommandError(f"no practice with slug {options['practice']!r}")
        if options["until"] < options["since"]:
            raise CommandError("--until is before --since")
        result = export_fhir_bundle(
            practice=practice, since=options["since"], until=options["until"], now=timezone.now()
        )
        record_service_action(
            service="export_fhir",
            action="fhir_export",
            practice=practice,
            patient_ids=result.patient_ids,
        )
        if options["out"] is None:
            self.stdout.write(result.json)
            return
        options["out"].write_text(result.json, encoding="utf-8")
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(result.counts.items()))
        self.stderr.write(f"wrote {options['out']}: {counts}")
