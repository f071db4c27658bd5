import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from queue_app.models import Practice
from reports import metrics, services, weeks
from reports.exports import csv_text


class Command(BaseCommand):
    help = (
        "Print a practice-week's scorecard: the stored snapshot when there is one, else "
        "computed now, the same numbers the page shows. --build stores it; --rebuild replaces it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--practice", required=True, help="practice slug")
        parser.add_argument("--week", required=True, help="ISO week, e.g. 2026-W47")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--language", default=None, help="only this language's items")
        parser.add_argument("--live", action="store_true", help="ignore a stored snapshot")
        parser.add_argument("--build", action="store_true", help="store the snapshot if missing")
        parser.add_argument("--rebuild", metavar="REASON", help="replace the stored snapshot")

    def handle(self, *args, **options) -> None:
        practice = Practice.objects.filter(slug=options["practice"]).first()
        if practice is None:
            raise CommandError(f"No practice with slug {options['practice']!r}.")
        try:
            week = weeks.parse_iso_week(options["week"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        language = options["language"]
        if language and language not in practice.languages:
            raise CommandError(f"{practice.slug} does not offer language {language!r}.")
        now = timezone.now()
        try:
            self._store(practice, week, now, options)
        except services.ScorecardError as exc:
            raise CommandError(str(exc)) from exc
        if options["live"]:
            data = metrics.compute_scorecard(
                practice=practice, week=week, language=language, now=now
            )
        else:
            data, _ = services.scorecard_for(
                practice=practice, week=week, language=language, now=now
            )
        if options["format"] == "csv":
            self.stdout.write(csv_text(data), ending="")
        else:
            self.stdout.write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))

    def _store(self, practice: Practice, week, now, options: dict) -> None:
        if options["rebuild"]:
            snapshot = services.current_snapshot(practice=practice, week=week)
            if snapshot is None:
                raise CommandError("Nothing to rebuild: no snapshot stored for that week.")
            services.rebuild_weekly_scorecard(
                scorecard=snapshot, reason=options["rebuild"], now=now, service="command"
            )
            self.stderr.write("Rebuilt; the previous snapshot is kept, marked superseded.")
        elif options["build"]:
            _, created = services.build_weekly_scorecard(
                practice=practice, week=week, now=now, service="command"
            )
            self.stderr.write("Stored." if created else "Already stored; nothing changed.")
