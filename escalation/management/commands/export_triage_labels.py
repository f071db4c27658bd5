"""Write the assistants' triage confirmations as a training batch:
`manage.py export_triage_labels --practice SLUG [--since YYYY-MM-DD] --out PATH`.

One JSON line per confirmation, in the schema of corpus/messages (id, text, language, channel,
lane, boundary, note). The lines hold patients' words: the file is patient data, to be kept
where the practice keeps its records and deleted after training.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from escalation.models import TriageLabel
from escalation.triage_labels import as_corpus_row
from queue_app.clock import zone
from queue_app.models import Practice


class Command(BaseCommand):
    help = "Export assistants' confirmations of unsure triage as a JSON-lines training batch."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--practice", required=True, help="practice slug")
        parser.add_argument("--since", type=date.fromisoformat, help="first day (YYYY-MM-DD)")
        parser.add_argument("--out", required=True, help="file to write (patient data)")

    def handle(self, *args: Any, **options: Any) -> None:
        practice = Practice.objects.filter(slug=options["practice"]).first()
        if practice is None:
            raise CommandError(f"no practice {options['practice']!r}")
        labels = TriageLabel.objects.filter(practice=practice).order_by("created", "pk")
        if options["since"]:
            start = datetime.combine(options["since"], time(), zone(practice.timezone))
            labels = labels.filter(created__gte=start)
        try:
            with open(options["out"], "w", encoding="utf-8") as out:
                for label in labels.iterator():
                    out.write(json.dumps(as_corpus_row(label), ensure_ascii=False) + "\n")
        except OSError as exc:
            raise CommandError(f"cannot write {options['out']}: {exc.strerror}") from exc
        self.stdout.write(f"{labels.count()} confirmation(s) written to {options['out']}")
