"""The scorecard as rows: one layout for the page's CSV export and the `scorecard` command."""

import csv
import io
from collections.abc import Iterator

HEADER = ["week", "language", "metric", "dimension", "key", "label", "value", "of", "rate"]
# Cells a spreadsheet would read as a formula (CWE-1236), plus the control characters that
# some of them also treat as a formula's start.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

COUNT_METRICS = (
    "received",
    "resolved",
    "escalated",
    "open_at_end",
    "open_older",
    "unresolved_portal",
    "repeat_contacts",
    "knew_next_step",
    "confirmation_completion",
    "no_show_recovery",
    "documentation_accuracy",
    "note_overrides",
    "promises_kept",
    "promises_broken",
    "escalation_accuracy",
    "missed_escalations",
    "complaints",
)
RESPONSE_FIELDS = (
    "answered",
    "median_minutes",
    "p90_minutes",
    "within_target",
    "missed",
    "awaiting",
    "share_within_target",
)


def neutralize(value: object) -> str:
    """A cell as text that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def scorecard_rows(data: dict) -> Iterator[list]:
    """Every number of one scorecard, with its breakdowns, as flat rows."""
    week, language = data["iso_week"], data["language"] or "all"
    m = data["metrics"]
    for name in COUNT_METRICS:
        entry = m[name]
        yield [week, language, name, "", "", "", entry["value"], entry.get("of"), entry.get("rate")]
        for dim in ("moment", "language", "channel", "route"):
            for row in entry.get(f"by_{dim}", []):
                yield [
                    week,
                    language,
                    name,
                    dim,
                    row["key"],
                    row["label"],
                    row["value"],
                    row.get("of"),
                    row.get("rate"),
                ]
    for row in m["complaints"]["by_cause"]:
        yield [
            week,
            language,
            "complaints",
            "cause",
            row["key"],
            row["label"],
            row["value"],
            "",
            "",
        ]
    first = m["first_response"]
    for field in RESPONSE_FIELDS:
        yield [week, language, f"first_response.{field}", "", "", "", first[field], "", ""]
    for dim in ("language", "moment", "channel"):
        for row in first[f"by_{dim}"]:
            for field in RESPONSE_FIELDS:
                yield [
                    week,
                    language,
                    f"first_response.{field}",
                    dim,
                    row["key"],
                    row["label"],
                    row[field],
                    "",
                    "",
                ]
    for row in m["template_effect"]:
        yield [
            week,
            language,
            "template_effect",
            "template",
            row["template"],
            row["label"],
            row["repeated"],
            row["items"],
            row["rate"],
        ]

    for row in m["knew_next_step_by_template"]:
        yield [
            week,
            language,
            "knew_next_step",
            "template",
            row["template"],
            row["label"],
            row["yes"],
            row["answered"],
            row["rate"],
        ]


def csv_text(data: dict) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for row in scorecard_rows(data):
        writer.writerow([neutralize(cell) for cell in row])
    return buffer.getvalue()
