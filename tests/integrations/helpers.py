"""Shared bits of the import and export tests: fixture files and a fixed clock."""

from datetime import UTC, datetime
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from integrations.fhir_import import ImportReport, import_fhir_bundle
from queue_app.models import Practice

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FHIR = FIXTURES / "fhir"
CSV = FIXTURES / "csv"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def import_file(practice: Practice, name: str, now: datetime = NOW) -> ImportReport:
    with (FHIR / name).open("rb") as source:
        return import_fhir_bundle(practice=practice, source=source, filename=name, now=now)


def upload(name: str, content: bytes | None = None, folder: Path = CSV) -> SimpleUploadedFile:
    data = content if content is not None else (folder / name).read_bytes()
    return SimpleUploadedFile(name, data)
