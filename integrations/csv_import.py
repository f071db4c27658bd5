"""CSV import of patients and appointments: upload, map columns, preview, commit.

A clinic without FHIR exports a spreadsheet. The upload is kept between the steps as a file
under VAR_DIR/imports/<random token>.csv (the token lives in the session, never in a URL) and
is deleted after the commit or after an hour. Nothing is written to the database before the
commit. The commit checks every row first, then writes the valid ones in batches
(integrations.batch_import), with the same idempotency by external id as the FHIR import; each
refused row is named by its line in the file.
"""

import contextlib
import csv
import io
import logging
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files import File
from django.core.validators import EmailValidator, URLValidator

from integrations import limits
from integrations.batch_import import BatchResult, Row, write_in_batches
from integrations.fhir_import import (
    ImportReport,
    PatientRecord,
    normalize_language,
    normalize_phone,
)
from queue_app.clock import zone
from queue_app.models import Appointment, Practice

logger = logging.getLogger(__name__)

UPLOAD_TTL = timedelta(hours=1)
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

# field: (label, lower-case header names that map to it automatically)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "external_id": ("Patient id (MRN)", ("mrn", "patient id", "patient_id", "external id", "id")),
    "first_name": ("First name", ("first name", "first_name", "given", "given name", "firstname")),
    "last_name": (
        "Last name",
        ("last name", "last_name", "family", "family name", "surname", "lastname"),
    ),
    "date_of_birth": ("Date of birth", ("dob", "date of birth", "birth date", "birthdate")),
    "phone": ("Phone", ("phone", "mobile", "cell", "phone number", "mobile phone")),
    "email": ("Email", ("email", "e-mail", "email address")),
    "preferred_language": ("Preferred language", ("language", "preferred language", "lang")),
    "sms_consent_date": ("SMS consent date", ("sms consent date", "sms_consent_date")),
    "appointment_id": ("Appointment id", ("appointment id", "appointment_id", "appt id")),
    "appointment_start": (
        "Appointment start",
        ("appointment start", "start", "appointment time", "appt start", "start time"),
    ),
    "appointment_end": ("Appointment end", ("appointment end", "end", "end time", "appt end")),
    "appointment_minutes": ("Duration (minutes)", ("duration", "minutes", "length")),
    "provider_name": ("Provider", ("provider", "provider name", "practitioner", "doctor")),
    "appointment_status": ("Appointment status", ("status", "appointment status")),
    "telehealth_link": ("Telehealth link", ("telehealth link", "video link", "telehealth")),
    "location": ("Location", ("location", "room", "site")),
}
REQUIRED_FIELDS = ("external_id", "first_name", "last_name")
CSV_STATUSES = {
    "": Appointment.Status.BOOKED,
    "booked": Appointment.Status.BOOKED,
    "scheduled": Appointment.Status.BOOKED,
    "cancelled": Appointment.Status.CANCELLED,
    "canceled": Appointment.Status.CANCELLED,
    "no_show": Appointment.Status.NO_SHOW,
    "no-show": Appointment.Status.NO_SHOW,
    "noshow": Appointment.Status.NO_SHOW,
    "completed": Appointment.Status.COMPLETED,
    "fulfilled": Appointment.Status.COMPLETED,
}
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")
DATETIME_FORMATS = ("%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M%p")


class CsvFileError(Exception):
    """The file as a whole cannot be used; the message is shown to the admin."""


@dataclass
class RowResult:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    patient: PatientRecord | None = None
    appointment: dict | None = None


@dataclass
class Preview:
    header: list[str]
    rows: list[RowResult]

    @property
    def valid_count(self) -> int:
        return sum(1 for row in self.rows if not row.errors)

    @property
    def error_count(self) -> int:
        return len(self.rows) - self.valid_count


# --- the stored upload ----------------------------------------------------------------------


def max_upload_bytes() -> int:
    return limits.csv_max_bytes()


def upload_dir() -> Path:
    return Path(settings.VAR_DIR) / "imports"


def upload_path(token: str) -> Path:
    # The token comes from the session; the pattern keeps it a plain file name.
    if not TOKEN_PATTERN.match(token or ""):
        raise CsvFileError("The upload has expired; upload the file again.")
    return upload_dir() / f"{token}.csv"


def store_upload(*, upload: File, now: datetime) -> str:
    """Check the file and keep it for the next steps; returns the token naming it."""
    purge_stale_uploads(now=now)
    too_big = limits.size_error(upload.size, max_upload_bytes())
    if too_big:
        raise CsvFileError(too_big[0].upper() + too_big[1:])
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")  # Excel writes a byte-order mark
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise CsvFileError(
            f"Line {line} is not UTF-8 text. Save the file as 'CSV UTF-8'."
        ) from None
    header, rows = _parse(text)
    # Read to the end once: a broken line (an unclosed quote, a cell over the size limit) is
    # named now, before any mapping or preview.
    if not any(header) or sum(1 for _row in rows) == 0:
        raise CsvFileError("The file has no header row or no data rows.")
    token = secrets.token_urlsafe(24)
    upload_dir().mkdir(parents=True, exist_ok=True)
    upload_path(token).write_text(text, encoding="utf-8")
    logger.info("csv upload stored token=%s bytes=%s", token[:6], len(raw))
    return token


def read_upload(token: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    path = upload_path(token)
    if not path.exists():
        raise CsvFileError("The upload has expired; upload the file again.")
    return _parse(path.read_text(encoding="utf-8"))


def read_upload_text(token: str) -> str:
    path = upload_path(token)
    if not path.exists():
        raise CsvFileError("The upload has expired; upload the file again.")
    return path.read_text(encoding="utf-8")


def delete_upload(token: str) -> None:
    with contextlib.suppress(CsvFileError):
        upload_path(token).unlink(missing_ok=True)


def purge_stale_uploads(*, now: datetime) -> int:
    """Delete uploads older than an hour: they hold patient data nobody committed."""
    directory = upload_dir()
    if not directory.exists():
        return 0
    cutoff = (now - UPLOAD_TTL).timestamp()
    stale = [p for p in directory.glob("*.csv") if p.stat().st_mtime < cutoff]
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


def _parse(text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header, and each non-blank row with the number of the line it starts on."""
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in many locales save with ";" because "," is their decimal mark.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell.strip() for cell in next(reader, [])]
    except csv.Error as exc:
        raise CsvFileError(f"Line 1 cannot be read: {exc}.") from None
    return header, _rows(reader)


def _rows(reader) -> Iterator[tuple[int, list[str]]]:
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a cell longer than csv.field_size_limit()
            raise CsvFileError(f"Line {start} cannot be read: {exc}.") from None
        if any(cell.strip() for cell in row):
            yield start, row


# --- mapping and preview --------------------------------------------------------------------


def guess_mapping(header: list[str]) -> dict[str, int]:
    """Field → column index, from the header's names; each column and field used once."""
    mapping: dict[str, int] = {}
    for index, name in enumerate(header):
        key = re.sub(r"\s+", " ", name.strip().lower().replace("_", " "))
        for field_name, (_label, aliases) in FIELDS.items():
            names = {alias.replace("_", " ") for alias in aliases} | {field_name.replace("_", " ")}
            if key in names and field_name not in mapping:
                mapping[field_name] = index
                break
    return mapping


def mapping_errors(mapping: dict[str, int]) -> list[str]:
    errors = [f"Choose the column for {FIELDS[f][0]}." for f in REQUIRED_FIELDS if f not in mapping]
    if any(f.startswith("appointment_") for f in mapping) and "appointment_start" not in mapping:
        errors.append("Appointments need a column for Appointment start.")
    return errors


def build_preview(*, practice: Practice, token: str, mapping: dict[str, int]) -> Preview:
    """Check every row without writing anything."""
    return preview_text(practice=practice, text=read_upload_text(token), mapping=mapping)


def preview_text(*, practice: Practice, text: str, mapping: dict[str, int]) -> Preview:
    header, rows = _parse(text)
    results = []
    for line, row in rows:
        values = {f: (row[i].strip() if i < len(row) else "") for f, i in mapping.items()}
        results.append(check_row(line=line, values=values, practice=practice))
    return Preview(header=header, rows=results)


def check_row(*, line: int, values: dict[str, str], practice: Practice) -> RowResult:
    """One row's errors, and the records it would write when it has none."""
    result = RowResult(line=line, values=values)
    errors = result.errors
    for name, value in values.items():
        if limits.NUL in value:  # PostgreSQL cannot store it; named here, not by the database
            errors.append(f"{FIELDS[name][0].lower()} holds a NUL character")
            values[name] = value.replace(limits.NUL, "")
    for name in REQUIRED_FIELDS:
        if not values.get(name):
            errors.append(f"missing {FIELDS[name][0].lower()}")
    lengths = (("external_id", 64), ("first_name", 80), ("last_name", 80), ("email", 254))
    for name, limit in lengths + (("appointment_id", 64), ("telehealth_link", 200)):
        if len(values.get(name, "")) > limit:
            errors.append(f"{FIELDS[name][0].lower()} is longer than {limit} characters")
    birth_date = _date(values.get("date_of_birth", ""), "date of birth", errors)
    phone = ""
    if values.get("phone"):
        try:
            phone = normalize_phone(values["phone"])
        except ValueError as exc:
            errors.append(str(exc))
    email = values.get("email", "")
    if email:
        try:
            EmailValidator()(email)
        except DjangoValidationError:
            errors.append("email is not an email address")
    language = None
    if values.get("preferred_language"):
        language = normalize_language(values["preferred_language"])
        if language is None:
            errors.append(f"unknown language {values['preferred_language'][:20]!r}")
    consents: tuple = ()
    consent_date = _date(values.get("sms_consent_date", ""), "SMS consent date", errors)
    if consent_date:
        consents = (("sms", consent_date),)
    appointment = _check_appointment(values, practice, errors)
    if not errors:
        result.patient = PatientRecord(
            external_id=values["external_id"],
            first_name=values["first_name"],
            last_name=values["last_name"],
            date_of_birth=birth_date,
            phone=phone,
            email=email,
            preferred_language=language,
            consents=consents,
        )
        result.appointment = appointment
    return result


def _check_appointment(
    values: dict[str, str], practice: Practice, errors: list[str]
) -> dict | None:
    if not values.get("appointment_start") and not values.get("appointment_id"):
        return None
    if not values.get("appointment_id"):
        errors.append("missing appointment id")
    tz = zone(practice.timezone)
    if not values.get("appointment_start"):
        errors.append("missing appointment start")
    starts_at = _datetime(values.get("appointment_start", ""), "appointment start", tz, errors)
    ends_at = _datetime(values.get("appointment_end", ""), "appointment end", tz, errors)
    minutes = values.get("appointment_minutes", "")
    if ends_at is None and minutes:
        if not minutes.isdigit() or not 0 < int(minutes) <= 24 * 60:
            errors.append("duration is not a number of minutes")
        elif starts_at:
            ends_at = starts_at + timedelta(minutes=int(minutes))
    if starts_at and ends_at is None and not minutes and not values.get("appointment_end"):
        errors.append("missing appointment end or duration")
    if starts_at and ends_at and ends_at <= starts_at:
        errors.append("appointment ends before it starts")
    status = CSV_STATUSES.get(values.get("appointment_status", "").strip().lower())
    if status is None:
        errors.append(f"unknown appointment status {values['appointment_status'][:20]!r}")
    link = values.get("telehealth_link", "")
    if link:
        try:
            URLValidator(schemes=["https"])(link)
        except DjangoValidationError:
            errors.append("telehealth link is not an https URL")
    if len(values.get("provider_name", "")) > 120:
        errors.append("provider is longer than 120 characters")
    return {
        "external_id": values.get("appointment_id", "")[:64],
        "provider_name": values.get("provider_name", ""),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "status": status,
        "telehealth_link": link,
        "location": values.get("location", "")[:200],
    }


def _date(raw: str, what: str, errors: list[str]) -> date | None:
    if not raw:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    errors.append(f"{what} is not a date (use YYYY-MM-DD or MM/DD/YYYY)")
    return None


def _datetime(raw: str, what: str, tz, errors: list[str]) -> datetime | None:
    if not raw:
        return None
    value = None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        for fmt in DATETIME_FORMATS:
            try:
                value = datetime.strptime(raw.upper(), fmt)
                break
            except ValueError:
                continue
    if value is None:
        errors.append(f"{what} is not a date and time (use YYYY-MM-DD HH:MM)")
        return None
    return value if value.tzinfo else value.replace(tzinfo=tz)


# --- commit ---------------------------------------------------------------------------------


def commit_upload(
    *, practice: Practice, token: str, mapping: dict[str, int], filename: str, now: datetime
) -> ImportReport:
    """Import the valid rows in batches, then delete the upload."""
    report = commit_text(
        practice=practice, text=read_upload_text(token), mapping=mapping, filename=filename, now=now
    )
    delete_upload(token)
    return report


def commit_text(
    *,
    practice: Practice,
    text: str,
    mapping: dict[str, int],
    filename: str,
    now: datetime,
    progress: Callable[[ImportReport, int, int], None] | None = None,
) -> ImportReport:
    """Check every row, then write the valid ones in batches; refused rows are named by line.
    `progress(report, rows_done, rows_total)` is called after each batch."""
    preview = preview_text(practice=practice, text=text, mapping=mapping)
    report = ImportReport(source=filename)
    for row in preview.rows:
        if row.errors:
            report.error(row.line, "row", "; ".join(row.errors))
    valid = [
        Row(line=row.line, patient=row.patient, appointment=row.appointment)
        for row in preview.rows
        if not row.errors
    ]
    invalid = len(preview.rows) - len(valid)
    if progress:  # the refused rows show at once, before the first batch is written
        progress(report, invalid, len(preview.rows))

    def after_batch(result: BatchResult, done: int) -> None:
        _count(report, result)
        if progress:
            progress(report, invalid + done, len(preview.rows))

    write_in_batches(practice=practice, rows=valid, source=filename, now=now, progress=after_batch)
    report.errors.sort(key=lambda issue: issue.index)
    report.log_summary(logger, kind="csv", practice_id=practice.pk)
    return report


def _count(report: ImportReport, result: BatchResult) -> None:
    """Add what one batch wrote or refused to the report."""
    for written in result.written:
        for resource_type, outcome in written.outcomes:
            report.count(resource_type, outcome)
        report.patient_ids.add(written.patient_id)
    for line, reason in result.refused:
        report.error(line, "row", reason)
