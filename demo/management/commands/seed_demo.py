from datetime import UTC, date, datetime, time

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from demo.seed import DEMO_PASSWORD, SeedOptions, practice_specs, seed_demo
from notes.services import sample_last_week


class Command(BaseCommand):
    help = "Load the demo practices, people, playbook and weeks of history (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--weeks", type=int, default=8)
        parser.add_argument("--items-per-week", type=int, default=120, help="per practice")
        parser.add_argument("--practices", type=int, default=2)
        parser.add_argument("--patients", type=int, default=150, help="per practice")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--anchor",
            type=date.fromisoformat,
            default=None,
            help="the demo's 'today' (YYYY-MM-DD); default today",
        )

    def handle(self, *args, **options) -> None:
        seed_options = SeedOptions(
            seed=options["seed"],
            practices=options["practices"],
            weeks=options["weeks"],
            items_per_week=options["items_per_week"],
            patients_per_practice=options["patients"],
        )
        if options["anchor"]:
            seed_options.anchor = options["anchor"]
        loaded = seed_demo(seed_options, log=self.stdout.write)
        # The manager's QA screen shows last week's sample at once, not after the next beat
        # run; sampling is idempotent, so a second `make run` adds nothing.
        now = timezone.now()
        if options["anchor"]:
            now = datetime.combine(options["anchor"], time(12, 0), tzinfo=UTC)
        added = sample_last_week(now=now)
        self.stdout.write(f"QA sample for last week: {added} item(s) added.")
        if not loaded:
            return
        self.stdout.write(self.style.SUCCESS("Demo loaded. Sign in with any of these:"))
        self.stdout.write(f"  password for every demo user: {DEMO_PASSWORD}")
        self.stdout.write("  assistant.all  (assistant in every demo practice, EN and ES)")
        for slug, name, *_ in practice_specs(min(options["practices"], 2)):
            roles = "assistant / clinical / manager / admin / admin2"
            self.stdout.write(f"  {roles}.{slug}  ({name})")
