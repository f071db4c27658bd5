"""Label JSON-lines messages with escalation.triage: `manage.py triage --jsonl PATH` (`-` = stdin).

Each input line needs `id` and `text` (optional `language`, `channel`); each output line is
`{"id", "lane", "boundary", "unsure", "reasons"}`. A malformed line (bad JSON or UTF-8, a
missing key, an empty text, a line over MAX_LINE bytes) yields `{"line": N, "error": ...}`
and the run goes on; the command then exits non-zero.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from escalation.triage import triage

# A longer line is refused unread: no message is this long (triage reads 8,000 characters).
MAX_LINE = 256 * 1024


def _parse(raw: bytes) -> dict[str, Any]:
    """The message on one line, or ValueError saying what is wrong with it."""
    if len(raw) > MAX_LINE:
        raise ValueError(f"line longer than {MAX_LINE:,} bytes")
    try:
        row = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 (byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc.msg}") from exc
    if not isinstance(row, dict):
        raise ValueError("not a JSON object")
    missing = [key for key in ("id", "text") if key not in row]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    if not isinstance(row["text"], str):
        raise ValueError("text is not a string")
    if not row["text"].strip():
        raise ValueError("empty text")
    return row


class Command(BaseCommand):
    help = "Triage inbound patient messages from a JSON-lines file (one result line per input)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jsonl", required=True, help="input file, or - for stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["jsonl"]
        if path == "-":
            refused = self._run(sys.stdin.buffer)
        else:
            try:
                handle: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed below
            except OSError as exc:
                raise CommandError(f"cannot open {path}: {exc.strerror}") from exc
            with handle:
                refused = self._run(handle)
        if refused:
            raise CommandError(f"{refused} line(s) refused")

    def _run(self, lines: Iterable[bytes]) -> int:
        refused = 0
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                row = _parse(raw)
            except ValueError as exc:
                refused += 1
                self.stdout.write(json.dumps({"line": number, "error": str(exc)}))
                self.stderr.write(f"line {number}: {exc}")
                continue
            result = triage(row["text"], row.get("language"), row.get("channel"))
            self.stdout.write(
                json.dumps(
                    {
                        "id": row["id"],
                        "lane": result.lane,
                        "boundary": result.boundary,
                        "unsure": result.unsure,
                        "reasons": list(result.reasons),
                    },
                    ensure_ascii=False,
                )
            )
        return refused
