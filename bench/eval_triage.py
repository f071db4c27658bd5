"""Score escalation/triage.py against labeled messages and print a Markdown report.

    python bench/eval_triage.py [PATH] [--errors]

PATH defaults to the public dev sample (shared/data/sample_messages.jsonl next to the repo).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from escalation.triage import BOUNDARIES, TriageResult, triage  # noqa: E402

DEFAULT_PATH = REPO_ROOT.parent / "shared/data/sample_messages.jsonl"
LANGUAGES = ("en", "es", "mixed")
CHANNELS = ("sms", "portal", "voicemail")

Judged = list[tuple[dict, TriageResult]]


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def judge(rows: list[dict]) -> Judged:
    return [(row, triage(row["text"], row.get("language"), row.get("channel"))) for row in rows]


def _share(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def _recall(judged: Judged, boundary: str) -> float:
    actual = [got for row, got in judged if row["boundary"] == boundary]
    return _share(sum(got.boundary == boundary for got in actual), len(actual))


def _labeled_as(judged: Judged, expected: set[str], got: str) -> float:
    scope = [result for row, result in judged if row["boundary"] in expected]
    return _share(sum(result.boundary == got for result in scope), len(scope))


def figures(judged: Judged) -> dict[str, float]:
    """Headline figures (also used by the regression test)."""
    total = len(judged)
    return {
        "n": total,
        "boundary_accuracy": _share(sum(r["boundary"] == g.boundary for r, g in judged), total),
        "lane_accuracy": _share(sum(r["lane"] == g.lane for r, g in judged), total),
        "urgent_recall": _recall(judged, "urgent"),
        "clinical_recall": _recall(judged, "clinical"),
        "complaint_recall": _recall(judged, "complaint"),
        "identity_recall": _recall(judged, "identity_unclear"),
        "admin_to_clinical": _labeled_as(judged, {"administrative"}, "clinical"),
        "admin_to_urgent": _labeled_as(judged, {"administrative"}, "urgent"),
        "urgent_to_admin": _labeled_as(judged, {"urgent"}, "administrative"),
        "urgent_or_clinical_to_admin": _labeled_as(
            judged, {"urgent", "clinical"}, "administrative"
        ),
    }


def per_class_table(judged: Judged) -> list[str]:
    lines = ["| boundary | expected | predicted | precision | recall |", "|---|---|---|---|---|"]
    for boundary in BOUNDARIES:
        expected = sum(row["boundary"] == boundary for row, _ in judged)
        predicted = sum(got.boundary == boundary for _, got in judged)
        tp = sum(row["boundary"] == got.boundary == boundary for row, got in judged)
        lines.append(
            f"| `{boundary}` | {expected} | {predicted} | {_share(tp, predicted):.3f}"
            f" | {_share(tp, expected):.3f} |"
        )
    return lines


def confusion_table(judged: Judged) -> list[str]:
    counts = Counter((row["boundary"], got.boundary) for row, got in judged)
    lines = [
        "| expected \\ got | " + " | ".join(BOUNDARIES) + " |",
        "|---|" + "---|" * len(BOUNDARIES),
    ]
    for expected in BOUNDARIES:
        cells = " | ".join(str(counts[(expected, got)]) for got in BOUNDARIES)
        lines.append(f"| `{expected}` | {cells} |")
    return lines


def split_table(judged: Judged, key: str, values: tuple[str, ...]) -> list[str]:
    lines = [
        f"| {key} | n | boundary accuracy | lane accuracy | urgent recall |",
        "|---|---|---|---|---|",
    ]
    for value in values:
        scope = [(row, got) for row, got in judged if row.get(key) == value]
        right = sum(row["boundary"] == got.boundary for row, got in scope)
        lanes = sum(row["lane"] == got.lane for row, got in scope)
        lines.append(
            f"| `{value}` | {len(scope)} | {_share(right, len(scope)):.3f}"
            f" | {_share(lanes, len(scope)):.3f} | {_recall(scope, 'urgent'):.3f} |"
        )
    return lines


def error_lines(judged: Judged) -> list[str]:
    lines = ["| id | expected lane / boundary | got lane / boundary |", "|---|---|---|"]
    for row, got in judged:
        if (row["lane"], row["boundary"]) != (got.lane, got.boundary):
            lines.append(
                f"| {row['id']} | {row['lane']} / {row['boundary']} | {got.lane} / {got.boundary} |"
            )
    return lines


def report(judged: Judged, path: Path, with_errors: bool) -> str:
    figs = figures(judged)
    lines = [
        f"# Triage evaluation: `{path.name}` ({figs['n']} messages)",
        "",
        "| figure | value |",
        "|---|---|",
        f"| boundary accuracy | {figs['boundary_accuracy']:.3f} |",
        f"| lane accuracy | {figs['lane_accuracy']:.3f} |",
        f"| urgent recall | {figs['urgent_recall']:.3f} |",
        f"| clinical recall | {figs['clinical_recall']:.3f} |",
        f"| complaint recall | {figs['complaint_recall']:.3f} |",
        f"| identity-unclear recall | {figs['identity_recall']:.3f} |",
        f"| administrative labeled clinical | {figs['admin_to_clinical']:.3f} |",
        f"| administrative labeled urgent | {figs['admin_to_urgent']:.3f} |",
        f"| urgent labeled administrative | {figs['urgent_to_admin']:.3f} |",
        "| urgent or clinical labeled administrative"
        f" | {figs['urgent_or_clinical_to_admin']:.3f} |",
        "",
        "## Per boundary class",
        "",
        *per_class_table(judged),
        "",
        "## Boundary confusion (rows = expected)",
        "",
        *confusion_table(judged),
        "",
        "## Per language and channel",
        "",
        *split_table(judged, "language", LANGUAGES),
        "",
        *split_table(judged, "channel", CHANNELS),
    ]
    if with_errors:
        lines += ["", "## Misclassified", "", *error_lines(judged)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--errors", action="store_true", help="list misclassified ids")
    args = parser.parse_args(argv)
    print(report(judge(load(args.path)), args.path, args.errors))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
