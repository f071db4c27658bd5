"""What the import commands share: one file read into one practice."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from queue_app.models import Practice


class FileImportCommand(BaseCommand):
    """`manage.py <command> PATH --practice SLUG`; the subclass reads the file."""

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
