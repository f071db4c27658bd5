"""Check documentation notes from a JSONL file (or stdin) and print one verdict per line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from notes.checker import check_note

# A longer line is refused unread: checking takes about 30 µs a character (2 s at this size),
# and no note is this long.
MAX_LINE = 64 * 1024


class Command(BaseCommand):
    help = (
        "Read JSONL lines with id, text and lane ('-' = stdin) and write one JSON line per note:"
        ' {"id", "label", "missing"}. Malformed lines get {"line", "error"}; the run goes on'
        " and exits non-zero."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jsonl", required=True, help="path to a JSONL file, or - for stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["jsonl"]
        if path == "-":
            stdin = getattr(sys.stdin, "buffer", None)  # a StringIO stdin has no bytes layer
            errors = self._run(stdin or (line.encode("utf-8") for line in sys.stdin))
        else:
            try:
                with open(path, "rb") as handle:
                    errors = self._run(handle)
            except OSError as exc:
                raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        if errors:
            raise CommandError(f"{errors} line(s) could not be checked")

    def _run(self, lines: Iterable[bytes]) -> int:
        errors = 0
        for number, raw in enumerate(lines, start=1):
            try:
                if len(raw) > MAX_LINE:
                    raise ValueError(f"line longer than {MAX_LINE:,} bytes")
                line = raw.decode("utf-8")
                if not line.strip():
                    continue
                result = _verdict(line)
            except ValueError as exc:  # UnicodeDecodeError is a ValueError too
                errors += 1
                reason = "invalid UTF-8" if isinstance(exc, UnicodeDecodeError) else str(exc)
                result = {"line": number, "error": reason}
                self.stderr.write(f"line {number}: {reason}")
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        return errors


def _verdict(line: str) -> dict[str, Any]:
    """The output record for one input line; ValueError says why the line is unusable."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"bad JSON: {exc.msg}") from exc
    if not isinstance(row, dict):
        raise ValueError("expected a JSON object")
    absent = [key for key in ("id", "text", "lane") if key not in row]
    if absent:
        raise ValueError(f"missing key(s): {', '.join(absent)}")
    if not isinstance(row["text"], str) or not isinstance(row["lane"], str):
        raise ValueError("text and lane must be strings")
    verdict = check_note(row["text"], row["lane"])  # ValueError for an unknown lane
    return {"id": row["id"], "label": verdict.label, "missing": list(verdict.missing)}
