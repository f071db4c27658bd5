"""The `triage` management command: thin JSON-lines wrapper around escalation.triage."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def test_command_labels_good_lines_and_reports_the_malformed_one(tmp_path: Path) -> None:
    source = tmp_path / "messages.jsonl"
    source.write_text(
        '{"id": "m1", "text": "pls cancel my 10am tomorrow", "language": "en"}\n'
        "\n"
        "{not json\n"
        '{"id": "m2", "text": "me duele el pecho y no puedo respirar", "channel": "sms"}\n',
        encoding="utf-8",
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 line"):
        call_command("triage", "--jsonl", str(source), stdout=out, stderr=err)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line.get("id") for line in lines] == ["m1", None, "m2"]
    assert (lines[0]["lane"], lines[0]["boundary"]) == ("cancel", "administrative")
    assert lines[1]["line"] == 3 and "JSON" in lines[1]["error"]
    assert lines[2]["boundary"] == "urgent" and lines[2]["reasons"]
    assert "line 3" in err.getvalue()


def test_command_rejects_lines_without_text(tmp_path: Path) -> None:
    source = tmp_path / "messages.jsonl"
    source.write_text('{"id": "m1"}\n{"id": "m2", "text": 42}\n', encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError, match="2 line"):
        call_command("triage", "--jsonl", str(source), stdout=out, stderr=StringIO())
    errors = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [error["line"] for error in errors] == [1, 2]
    assert "text" in errors[0]["error"] and "string" in errors[1]["error"]


def test_command_fails_when_the_file_cannot_be_opened(tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("triage", "--jsonl", str(tmp_path / "missing.jsonl"), stdout=StringIO())


def test_bad_bytes_empty_text_and_a_huge_line_get_error_lines_and_the_run_goes_on(
    tmp_path: Path,
) -> None:
    huge = json.dumps({"id": "big", "text": "chest pain " * 100_000})
    source = tmp_path / "messages.jsonl"
    source.write_bytes(
        b'{"id": "m1", "text": "ok"}\n'
        + b'{"id": "bad", "text": "\xff\xfe broken"}\n'
        + b'{"id": "blank", "text": "   "}\n'
        + huge.encode()
        + b"\n"
        + b'{"id": "last", "text": "I can\'t breathe and my lips are blue"}\n'
    )
    out = StringIO()
    with pytest.raises(CommandError, match="3 line"):
        call_command("triage", "--jsonl", str(source), stdout=out, stderr=StringIO())
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    errors = {line["line"]: line["error"] for line in lines if "error" in line}
    assert "UTF-8" in errors[2] and "empty" in errors[3] and "longer" in errors[4]
    assert lines[-1]["id"] == "last" and lines[-1]["boundary"] == "urgent"


def test_a_long_message_is_read_up_to_the_limit_and_says_so() -> None:
    from escalation.triage import MAX_CHARS, triage

    result = triage("please reschedule my visit. " * 2_000)
    assert result.unsure and any(f"{MAX_CHARS:,}" in reason for reason in result.reasons)
