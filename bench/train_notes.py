"""Train the per-element note model (notes/note_model.json) from labeled note batches.

    python bench/train_notes.py --train A.jsonl [B.jsonl ...] [--test C.jsonl ...] [--out PATH]

Without --out nothing is written: use --test to measure a batch held out whole. Needs
scikit-learn (the `dev` extra); the shipped JSON is read by notes/note_model.py in pure Python.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from eval_notes import SUMMARY_HEADER, judge, load, summary_rows  # noqa: E402
from sklearn.feature_extraction import DictVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from notes import checker  # noqa: E402
from notes.note_model import features  # noqa: E402

C = 8
MIN_COUNT = 2  # a feature seen in fewer training notes is dropped


def _vectors(rows: list[dict]) -> list[dict[str, float]]:
    return [
        features(r["text"], r["lane"], frozenset(checker.rule_evidence(r["text"]))) for r in rows
    ]


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", nargs="+", type=Path, required=True)
    parser.add_argument("--test", nargs="*", type=Path, default=[])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rows = [row for path in args.train for row in load(path)]
    model = train(rows)
    if args.out:
        payload = {"trained_on": [p.name for p in args.train], "n": len(rows), "elements": model}
        args.out.write_text(json.dumps(payload, ensure_ascii=False, sort_keys=True) + "\n")
    if args.test:

        def with_model(text: str, lane: str) -> checker.NoteVerdict:
            return checker.check_note(text, lane, model=model)

        lines = [
            line for p in args.test for line in summary_rows(p.stem, judge(load(p), with_model))
        ]
        print("\n".join([*SUMMARY_HEADER, *lines]))


if __name__ == "__main__":
    main()
