"""Train the per-element note model (notes/note_model.json) from labeled note batches.

    python bench/train_notes.py --train A.jsonl [B.jsonl ...] [--test C.jsonl ...] [--out PATH]
    python bench/train_notes.py --lobo A.jsonl B.jsonl C.jsonl [--also sample.jsonl]

Without --out nothing is written: use --test to measure a batch held out whole, or --lobo to
hold out each batch in turn (trained on the others plus --also) and print per-element and
per-language figures. Needs
scikit-learn (the `dev` extra); the shipped JSON is read by notes/note_model.py in pure Python.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from eval_notes import (  # noqa: E402
    SUMMARY_HEADER,
    element_language_rows,
    judge,
    load,
    summary_rows,
)
from sklearn.feature_extraction import DictVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from notes import checker  # noqa: E402
from notes.note_model import features  # noqa: E402

C = 2
MIN_COUNT = 2  # a feature seen in fewer training notes is dropped


def _vectors(rows: list[dict]) -> list[dict[str, float]]:
    return [features(r["text"], r["lane"], checker.rule_signals(r["text"])) for r in rows]


def train(rows: list[dict]) -> dict:
    vectors = _vectors(rows)
    counts: dict[str, int] = {}
    for vector in vectors:
        for name in vector:
            counts[name] = counts.get(name, 0) + 1
    vectors = [{k: v for k, v in vec.items() if counts[k] >= MIN_COUNT} for vec in vectors]
    model = {}
    for element in checker.ELEMENTS:
        scope = [i for i, r in enumerate(rows) if element in checker.required_elements(r["lane"])]
        y = [element not in rows[i]["missing"] for i in scope]
        vectorizer = DictVectorizer()
        x = vectorizer.fit_transform([vectors[i] for i in scope])
        fit = LogisticRegression(C=C, max_iter=5000).fit(x, y)
        weights = {
            name: round(float(w), 3)
            for name, w in zip(vectorizer.get_feature_names_out(), fit.coef_[0], strict=True)
            if abs(w) >= 0.01
        }
        model[element] = {"bias": round(float(fit.intercept_[0]), 4), "weights": weights}
    return model


def _judge_with(model: dict, rows: list[dict]) -> list:
    def with_model(text: str, lane: str) -> checker.NoteVerdict:
        return checker.check_note(text, lane, model=model)

    return judge(rows, with_model)


def leave_one_batch_out(paths: list[Path], also: list[Path]) -> str:
    """Summary and per-element rows for each batch, judged by a model trained without it."""
    extra = [row for path in also for row in load(path)]
    summary, elements = [], []
    for held in paths:
        rows = [row for p in paths if p != held for row in load(p)] + extra
        results = _judge_with(train(rows), load(held))
        summary += summary_rows(held.stem, results)
        elements += element_language_rows(held.stem, results)
    return "\n".join([*SUMMARY_HEADER, *summary, "", *elements])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", nargs="+", type=Path, default=[])
    parser.add_argument("--test", nargs="*", type=Path, default=[])
    parser.add_argument("--lobo", nargs="+", type=Path, default=[])
    parser.add_argument("--also", nargs="*", type=Path, default=[])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.lobo:
        print(leave_one_batch_out(args.lobo, args.also))
        return
    rows = [row for path in args.train for row in load(path)]
    model = train(rows)
    if args.out:
        payload = {"trained_on": [p.name for p in args.train], "n": len(rows), "elements": model}
        args.out.write_text(json.dumps(payload, ensure_ascii=False, sort_keys=True) + "\n")
    if args.test:
        lines = [
            line for p in args.test for line in summary_rows(p.stem, _judge_with(model, load(p)))
        ]
        print("\n".join([*SUMMARY_HEADER, *lines]))


if __name__ == "__main__":
    main()
