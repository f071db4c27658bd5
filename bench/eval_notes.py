"""Score notes/checker.py against labeled notes and print a Markdown report.

    python bench/eval_notes.py [PATH ...] [--errors] [--summary]

PATH defaults to the public dev sample (shared/data/sample_notes.jsonl next to the repo).
`--summary` prints one table row per file and language instead of the full report.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from notes.checker import ELEMENTS, check_note, is_refused, note_language, required_elements  # noqa: E402

DEFAULT_PATH = REPO_ROOT.parent / "shared/data/sample_notes.jsonl"

Result = tuple[dict, str, set[str], bool]


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def judge(rows: Iterable[dict], checker: Callable = check_note) -> list[Result]:
    """(row, predicted label, predicted missing set) for every row."""
    results = []
    for row in rows:
        verdict = checker(row["text"], row["lane"])
        results.append((row, verdict.label, set(verdict.missing), is_refused(verdict)))
    return results


def _ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.3f}" if denominator else "n/a"


def label_figures(results: list[Result]) -> dict[str, float]:
    """Label accuracy, vague precision/recall, refused rate and per-element accuracy."""
    correct = sum(row["label"] == got for row, got, *_ in results)
    tp = sum(row["label"] == "vague" and got == "vague" for row, got, *_ in results)
    predicted = sum(got == "vague" for _, got, *_ in results)
    actual = sum(row["label"] == "vague" for row, *_ in results)
    good = [got for row, got, *_ in results if row["label"] == "actionable"]
    refused = [r for row, *_, r in results if row["label"] == "actionable"]
    vague_refused = [r for row, *_, r in results if row["label"] == "vague"]
    slots = agree = 0
    for row, _, got, _ in results:
        for element in required_elements(row["lane"]):
            slots += 1
            agree += (element in row["missing"]) == (element in got)
    return {
        "n": len(results),
        "accuracy": correct / len(results) if results else 0.0,
        "vague_precision": tp / predicted if predicted else 0.0,
        "vague_recall": tp / actual if actual else 0.0,
        # An actionable note judged vague would be refused at save: the cost to assistants.
        "actionable_refused": good.count("vague") / len(good) if good else 0.0,
        "element_accuracy": agree / slots if slots else 0.0,
        # With the warn-and-save policy: refused only when an element is clearly absent.
        "actionable_refused_sure": sum(refused) / len(refused) if refused else 0.0,
        "vague_refused_sure": sum(vague_refused) / len(vague_refused) if vague_refused else 0.0,
    }


SUMMARY_HEADER = [
    "| set | lang | notes | label acc | vague recall | vague prec | actionable refused"
    " | element acc | refused at save: actionable / vague |",
    "|---|---|---|---|---|---|---|---|---|",
]


def summary_rows(name: str, results: list[Result]) -> list[str]:
    lines = []
    for lang in ("all", "en", "es"):
        subset = [r for r in results if lang == "all" or note_language(r[0]["text"]) == lang]
        if not subset:
            continue
        f = label_figures(subset)
        lines.append(
            f"| {name} | {lang} | {f['n']} | {f['accuracy']:.3f} | {f['vague_recall']:.3f}"
            f" | {f['vague_precision']:.3f} | {f['actionable_refused']:.3f}"
            f" | {f['element_accuracy']:.3f}"
            f" | {f['actionable_refused_sure']:.3f} / {f['vague_refused_sure']:.3f} |"
        )
    return lines


def element_table(results: list[Result]) -> list[str]:
    lines = [
        "| element | required in | expected missing | precision | recall | accuracy |",
        "|---|---|---|---|---|---|",
    ]
    for element in ELEMENTS:
        scope = [
            (row, got) for row, _, got, _ in results if element in required_elements(row["lane"])
        ]
        expected = [element in row["missing"] for row, _ in scope]
        predicted = [element in got for _, got in scope]
        tp = sum(e and p for e, p in zip(expected, predicted, strict=True))
        agree = sum(e == p for e, p in zip(expected, predicted, strict=True))
        lines.append(
            f"| `{element}` | {len(scope)} | {sum(expected)} | {_ratio(tp, sum(predicted))}"
            f" | {_ratio(tp, sum(expected))} | {_ratio(agree, len(scope))} |"
        )
    return lines


def element_language_rows(name: str, results: list[Result]) -> list[str]:
    """Per-element accuracy for one set, all notes and by language."""
    lines = [
        f"| {name} | " + " | ".join(f"`{e}`" for e in ELEMENTS) + " |",
        "|---|" + "---|" * len(ELEMENTS),
    ]
    for lang in ("all", "en", "es"):
        subset = [r for r in results if lang == "all" or note_language(r[0]["text"]) == lang]
        cells = []
        for element in ELEMENTS:
            scope = [
                (element in row["missing"]) == (element in got)
                for row, _, got, _ in subset
                if element in required_elements(row["lane"])
            ]
            cells.append(_ratio(sum(scope), len(scope)) + f" ({len(scope)})")
        lines.append(f"| {lang} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def error_lines(results: list[Result]) -> list[str]:
    lines = ["| id | lane | expected | got |", "|---|---|---|---|"]
    for row, got_label, got_missing, _ in results:
        if row["label"] == got_label and set(row["missing"]) == got_missing:
            continue
        expected = f"{row['label']} {sorted(row['missing'])}"
        got = f"{got_label} {sorted(got_missing)}"
        lines.append(f"| {row['id']} | {row['lane']} | {expected} | {got} |")
    return lines


def report(path: Path, show_errors: bool) -> str:
    results = judge(load(path))
    figures = label_figures(results)
    lines = [
        f"## Note checker on `{path.name}` ({figures['n']} notes)",
        "",
        *SUMMARY_HEADER,
        *summary_rows(path.stem, results),
        "",
        "Per element, over the notes whose lane requires it (positive class = missing):",
        "",
        *element_table(results),
    ]
    if show_errors:
        lines += ["", "Misjudged notes (label or missing set differs):", "", *error_lines(results)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_PATH])
    parser.add_argument("--errors", action="store_true", help="list misjudged notes")
    parser.add_argument("--summary", action="store_true", help="one row per file and language")
    args = parser.parse_args()
    if args.summary:
        rows = [line for p in args.paths for line in summary_rows(p.stem, judge(load(p)))]
        print("\n".join([*SUMMARY_HEADER, *rows]))
        return
    print("\n\n".join(report(path, args.errors) for path in args.paths))


if __name__ == "__main__":
    main()
