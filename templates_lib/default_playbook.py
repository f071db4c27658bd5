"""The default playbook: the communication moments a practice starts with.

The moments are data, one JSON file per moment in `templates_lib/playbook/<key>.json`, read
and validated once on import (a malformed file fails loudly, naming the file and the field).
Their names and note standards come from the lane registry (`queue_app.lanes`). Pure Python,
no Django import: a seed step or a data migration turns these dicts into Moment and Template
rows; admins then edit them per practice.

Each moment defines the five things of the practice workflow: the patient's likely question,
the approved responses (templates per language and channel), what the assistant must verify,
the note standard, and the escalation point. Plus channels, live-call need, first-response
target (business minutes) and the part of the day it belongs to.

Template rules kept in the data (and enforced by ``templates_lib.lint``):
- a first response says what was received, what is being checked, what is needed from the
  patient, and when the next update comes;
- SMS carries nothing sensitive and never uses a carrier opt-out word as a command;
- only the placeholders of ``ALLOWED_PLACEHOLDERS``, in single braces;
- reminders name the practice and its phone number and stay short.
"""

from __future__ import annotations

import json
from pathlib import Path

from queue_app.lanes import LABELS, PLAYBOOK_MOMENTS, required_elements

DATA_DIR = Path(__file__).resolve().parent / "playbook"

VERIFICATION_FIELDS = {
    "full_name": "Full name",
    "date_of_birth": "Date of birth",
    "phone_on_file": "Phone on file",
    "address": "Address on file",
    "insurance_member_id": "Insurance member ID",
    "guardian_or_proxy": "Guardian or proxy on file",
    "appointment_on_file": "Appointment on file",
}

ROUTES = ("clinical", "urgent", "billing", "complaints", "interpreter")

RHYTHM_BLOCKS = ("morning", "midday", "afternoon")

ALLOWED_PLACEHOLDERS = (
    "first_name",
    "practice_name",
    "practice_phone",
    "appointment_date",
    "appointment_time",
    "provider_name",
    "telehealth_link",
    "missing_items",
    "next_update",
    "callback_window",
    "location",
)

LANGUAGES = ("en", "es")
CHANNELS = ("sms", "portal", "email", "voice")

# field → what its value must be; every field is required and no other is allowed.
_TEXT = "text per language"
_SCHEMA: dict[str, object] = {
    "likely_question": _TEXT,
    "verification_fields": tuple(VERIFICATION_FIELDS),
    "verification_checks": _TEXT,
    "note_example": _TEXT,
    "escalation_point": _TEXT,
    "escalation_route": ROUTES,
    "allowed_channels": CHANNELS,
    "live_call_required": bool,
    "consent_required_channels": CHANNELS,
    "first_response_minutes": int,
    "rhythm_block": RHYTHM_BLOCKS,
    "delegated": bool,
    "templates": list,
}
_TEMPLATE_FIELDS = {"language": LANGUAGES, "channel": CHANNELS, "purpose": str, "body": str}


class PlaybookError(ValueError):
    """A default playbook file that does not have the shape a moment needs."""


def _check(path: Path, where: str, value: object, rule: object) -> None:
    def fail(why: str) -> None:
        raise PlaybookError(f"{path.name}: {where} {why}")

    if rule == _TEXT:
        if not isinstance(value, dict) or set(value) != set(LANGUAGES):
            fail(f"must give the text in {', '.join(LANGUAGES)}")
        if not all(isinstance(text, str) and text.strip() for text in value.values()):
            fail("must not be empty")
    elif isinstance(rule, tuple):
        values = value if isinstance(value, list) else [value]
        unknown = [v for v in values if v not in rule]
        if unknown:
            fail(f"has unknown value(s) {unknown}; allowed: {', '.join(rule)}")
    elif rule is int:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            fail("must be a positive whole number")
    elif not isinstance(value, rule):
        fail(f"must be a {rule.__name__}")


def _fields(path: Path, where: str, data: object, schema: dict) -> None:
    if not isinstance(data, dict):
        raise PlaybookError(f"{path.name}: {where} must be an object")
    missing, extra = set(schema) - set(data), set(data) - set(schema)
    if missing or extra:
        raise PlaybookError(
            f"{path.name}: {where} lacks {sorted(missing)} or has unknown {sorted(extra)}"
        )
    for name, rule in schema.items():
        _check(path, f"{where}.{name}", data[name], rule)


def load_moment(key: str, directory: Path = DATA_DIR) -> dict:
    """One moment from its file, validated, with its name and note standard from the lanes."""
    path = directory / f"{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PlaybookError(f"{path.name}: {exc}") from exc
    _fields(path, "moment", data, _SCHEMA)
    for number, template in enumerate(data["templates"], start=1):
        _fields(path, f"template {number}", template, _TEMPLATE_FIELDS)
    moment = {"key": key, "name": dict(LABELS[key])}
    for name, value in data.items():
        moment[name] = value
        if name == "verification_checks":  # where the design card lists the note standard
            moment["note_elements"] = list(required_elements(key))
    return moment


def load_moments(directory: Path = DATA_DIR) -> list[dict]:
    """Every default moment, in the registry's order; a file for an unknown key is an error."""
    unknown = {path.stem for path in directory.glob("*.json")} - set(PLAYBOOK_MOMENTS)
    if unknown:
        raise PlaybookError(f"playbook files for unknown moments: {sorted(unknown)}")
    return [load_moment(key, directory) for key in PLAYBOOK_MOMENTS]


DEFAULT_MOMENTS: list[dict] = load_moments()

MOMENT_KEYS = tuple(m["key"] for m in DEFAULT_MOMENTS)


def moment(key: str) -> dict:
    """The default moment with this key (KeyError if there is none)."""
    for item in DEFAULT_MOMENTS:
        if item["key"] == key:
            return item
    raise KeyError(key)
