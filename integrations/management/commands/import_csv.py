"""Import a CSV file of patients (and their appointments) into one practice."""

from typing import Any

from django.core.files import File
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from integrations import csv_import
from integrations.csv_import import FIELDS, CsvFileError
from integrations.management.file_import import FileImportCommand


class Command(FileImportCommand):
    help = (
        "Import a CSV of patients and appointments. Columns are mapped from their names, or with "
        "--map 'Column name=field'. Rows with problems are listed by line and skipped; the "
        "command then exits non-zero."
    )
    service, audit_action, unit = "import_csv", "csv_import", "rows"

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=FIELD",
            help=f"fields: {', '.join(FIELDS)}",
        )
        parser.add_argument("--dry-run", action="store_true", help="check the rows, save nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        practice, path = self.practice_and_path(options)
        now = timezone.now()
        token = ""
        try:
            with path.open("rb") as handle:
                token = csv_import.store_upload(upload=File(handle, name=path.name), now=now)
            header, _rows = csv_import.read_upload(token)
            mapping = _mapping(header, options["map"])
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        except CsvFileError as exc:
            csv_import.delete_upload(token)  # a mapping error leaves no patient data behind
            raise CommandError(str(exc)) from exc
        if options["dry_run"]:
            preview = csv_import.build_preview(practice=practice, token=token, mapping=mapping)
            csv_import.delete_upload(token)
            for row in preview.rows:
                if row.errors:
                    self.stdout.write(f"  line {row.line}: {'; '.join(row.errors)}")
            self.stdout.write(
                f"{preview.valid_count} valid rows, {preview.error_count} with problems"
            )
            if preview.error_count:
                raise CommandError(f"{preview.error_count} rows would not be imported")
            return
        try:
            report = csv_import.commit_upload(
                practice=practice, token=token, mapping=mapping, filename=path.name, now=now
            )
        except CsvFileError as exc:
            raise CommandError(str(exc)) from exc
        self.finish(report, practice)


def _mapping(header: list[str], pairs: list[str]) -> dict[str, int]:
    mapping = csv_import.guess_mapping(header)
    for pair in pairs:
        column, _, field = pair.partition("=")
        if field not in FIELDS or column not in header:
            raise CsvFileError(f"--map {pair!r}: no such column or field")
        mapping = {f: i for f, i in mapping.items() if f != field and header[i] != column}
        mapping[field] = header.index(column)
    errors = csv_import.mapping_errors(mapping)
    if errors:
        raise CsvFileError(" ".join(errors))
    return mapping
