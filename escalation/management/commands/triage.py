"""Label JSON-lines messages with escalation.triage: `manage.py triage --jsonl PATH` (`-` = stdin).

Each input line needs `id` and `text` (optional `language`, `channel`); each output line is
`{"id", "lane", "boundary", "reasons"}`.  A malformed line yields `{"line": N, "error": ...}`
and the run goes on.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from escalation.triage import triage


def _parse(raw: str) -> dict[str, Any]:
    """The message on one line, or ValueError saying what is wrong with it."""
    try:
        row = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc.msg}") from exc
    if not isinstance(row, dict):
        raise ValueError("not a JSON object")
    missing = [key for key in ("id", "text") if key not in row]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    if not isinstance(row["text"], str):
        raise ValueError("text is not a string")
    return row


class Command(BaseCommand):
    help = "Triage inbound patient messages from a JSON-lines file (one result line per input)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jsonl", required=True, help="input file, or - for stdin")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["jsonl"]
        if path == "-":
            self._run(sys.stdin)
            return
        try:
            handle: IO[str] = open(path, encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise CommandError(f"cannot open {path}: {exc.strerror}") from exc
        with handle:
            self._run(handle)

    def _run(self, lines: Iterable[str]) -> None:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                row = _parse(raw)
            except ValueError as exc:
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
                        "reasons": list(result.reasons),
                    },
                    ensure_ascii=False,
                )
            )
