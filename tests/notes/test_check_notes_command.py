"""The check_notes management command: one JSON line out per non-blank line in."""

from __future__ import annotations

import json
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

GOOD_ACTIONABLE = {
    "id": "t-1",
    "lane": "records_request",
    "text": "Pt asked for her allergy test results to go to Birch Allergy Clinic. DOB verified;"
    " release signed 3/1. Faxed 3/2, conf #7781. No clinical questions. Will confirm receipt"
    " Thu 3/5.",
}
GOOD_VAGUE = {"id": "t-2", "lane": "cancel", "text": "Cancelled per pt."}
GOOD_VAGUE_MISSING = ["verified_details", "promised_follow_up", "escalation_status"]


def _run(tmp_path: Path, lines: list[str]) -> tuple[list[dict], str]:
    path = tmp_path / "notes.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, err = StringIO(), StringIO()
    try:
        call_command("check_notes", "--jsonl", str(path), stdout=out, stderr=err)
    except CommandError as exc:  # bad lines make the run exit non-zero, after every line
        err.write(f"\n{exc}")
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_good_lines_get_label_and_missing_elements(tmp_path: Path) -> None:
    rows, err = _run(tmp_path, [json.dumps(GOOD_ACTIONABLE), json.dumps(GOOD_VAGUE)])
    assert rows[0] == {"id": "t-1", "label": "actionable", "missing": []}
    assert rows[1]["id"] == "t-2" and rows[1]["label"] == "vague"
    assert rows[1]["missing"] == GOOD_VAGUE_MISSING
    assert err == ""


def test_malformed_lines_are_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    lines = [
        "{not json",
        json.dumps({"id": "t-3", "lane": "cancel"}),
        json.dumps({"id": "t-4", "lane": "parking", "text": "Handled."}),
        "",
        json.dumps(GOOD_VAGUE),
    ]
    rows, err = _run(tmp_path, lines)
    assert [row.get("line") for row in rows[:3]] == [1, 2, 3]
    assert "bad JSON" in rows[0]["error"]
    assert "text" in rows[1]["error"]
    assert "unknown lane" in rows[2]["error"]
    assert rows[3] == {"id": "t-2", "label": "vague", "missing": GOOD_VAGUE_MISSING}
    assert err.count("line ") == 3
    assert "3 line(s) could not be checked" in err


def test_invalid_utf8_and_a_missing_file_get_clear_messages(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_bytes(
        b'{"id": "x", "lane": "cancel", "text": "\xff"}\n' + json.dumps(GOOD_VAGUE).encode()
    )
    out = StringIO()
    with pytest.raises(CommandError, match="1 line"):
        call_command("check_notes", "--jsonl", str(path), stdout=out, stderr=StringIO())
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows[0] == {"line": 1, "error": "invalid UTF-8"}
    assert rows[1]["id"] == "t-2"
    with pytest.raises(CommandError, match="cannot read"):
        call_command("check_notes", "--jsonl", str(tmp_path / "absent.jsonl"), stdout=out)


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    rows, _ = _run(tmp_path, ["", "   ", json.dumps(GOOD_VAGUE), ""])
    assert len(rows) == 1


def test_dash_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", StringIO(json.dumps(GOOD_VAGUE) + "\n"))
    out = StringIO()
    call_command("check_notes", "--jsonl", "-", stdout=out)
    assert json.loads(out.getvalue()) == {
        "id": "t-2",
        "label": "vague",
        "missing": GOOD_VAGUE_MISSING,
    }


def test_a_megabyte_line_is_refused_unread_and_the_next_line_is_checked(tmp_path: Path) -> None:
    huge = {"id": "big", "lane": "cancel", "text": "Cancelled per pt. " * 60_000}
    started = time.perf_counter()
    rows, err = _run(tmp_path, [json.dumps(huge), json.dumps(GOOD_VAGUE)])
    assert time.perf_counter() - started < 10  # checking it would take about 30 s
    assert rows[0] == {"line": 1, "error": "line longer than 65,536 bytes"}
    assert rows[1]["id"] == "t-2" and rows[1]["label"] == "vague"
    assert "1 line(s) could not be checked" in err
