"""The limits on what an import accepts, checked where the data enters (web form and command alike).

- Size: one setting per kind of file (IMPORT_FHIR_MAX_BYTES, IMPORT_CSV_MAX_BYTES), read here
  and nowhere else.
- Depth: JSON nested deeper than MAX_JSON_DEPTH is refused while the file is streamed, before
  any object is built. A FHIR resource is a few dozen levels deep at most; parsing a bundle
  nested 100,000 deep into objects once took 22 GB.
- NUL characters: PostgreSQL cannot store them in text. A value holding one is refused with
  the name of its field, instead of failing in the database.
"""

from typing import IO, Any

import ijson
from django.conf import settings

MAX_JSON_DEPTH = 64
NUL = "\x00"

_OPEN = frozenset(("start_map", "start_array"))
_CLOSE = frozenset(("end_map", "end_array"))


class TooDeep(ValueError):
    """The JSON is nested deeper than MAX_JSON_DEPTH."""


class NulCharacter(ValueError):
    """A value holds a NUL character; the message names its field."""


def fhir_max_bytes() -> int:
    return settings.IMPORT_FHIR_MAX_BYTES


def csv_max_bytes() -> int:
    return settings.IMPORT_CSV_MAX_BYTES


def size_error(size: int, limit: int) -> str:
    """What to tell the admin about a file over `limit` bytes; empty when it fits."""
    if size <= limit:
        return ""
    return (
        f"the file is {size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.1f} MB. "
        "Split it and import the parts."
    )


def check_json_depth(source: IO[bytes]) -> None:
    """Stream the file's tokens (no objects, no paths) and raise TooDeep as soon as the nesting
    passes the limit: linear in the file's size, memory bounded by the read buffer. Raises
    ijson's errors on a malformed file. Leaves `source` at its start."""
    depth = 0
    source.seek(0)
    for event, _value in ijson.basic_parse(source):
        if event in _OPEN:
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise TooDeep(f"it is nested more than {MAX_JSON_DEPTH} levels deep")
        elif event in _CLOSE:
            depth -= 1
    source.seek(0)


def json_error(source: IO[bytes], exc: Exception) -> str:
    """What to say about a file ijson refused: the line of its first byte that is not UTF-8,
    or the parser's own words."""
    if "UTF8" in str(exc):
        line = utf8_error_line(source)
        if line:
            return f"line {line} is not UTF-8 text"
    return f"the file is not valid JSON ({str(exc)[:120]})"


def utf8_error_line(source: IO[bytes]) -> int | None:
    """The line holding the first byte that is not UTF-8 (read whole: the file is within the
    size limit, and this runs only once the parser has refused it)."""
    source.seek(0)
    raw = source.read()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return raw.count(b"\n", 0, exc.start) + 1
    return None


def nul_field(value: Any, path: str = "") -> str | None:
    """The path ("name[0].given[1]") of the first string holding a NUL character, or None."""
    if isinstance(value, str):
        return (path or "value") if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = nul_field(item, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = nul_field(item, f"{path}[{index}]")
            if found:
                return found
    return None


def refuse_nul(resource: Any) -> None:
    """Raise NulCharacter naming the first field whose value holds a NUL character."""
    found = nul_field(resource)
    if found:
        raise NulCharacter(f"{found[:80]} holds a NUL character (\\u0000)")
