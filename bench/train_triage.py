"""Train the triage model on corpus/messages/ and report honest, batch-held-out figures.

    python bench/train_triage.py [--holdout cF --holdout cG] [--no-lobo] [--write]

Each corpus file is one batch written by one separately briefed writer. Figures are never
computed on a batch that trained the model:

* leave-one-batch-out: for each training batch, a model trained on the others is scored on it;
* held-out batches (--holdout) are used for nothing but the final score;
* the public dev sample (shared/data) likewise.

With --write the model trained on every non-held-out batch is saved to
escalation/triage/model.json as plain coefficients. Needs scikit-learn (dev extras).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(REPO_ROOT / "bench"))

import eval_triage  # noqa: E402
from sklearn.feature_extraction import DictVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from escalation import triage as engine  # noqa: E402
from escalation.triage import model  # noqa: E402

CORPUS = REPO_ROOT / "corpus/messages"
DEV_SAMPLE = REPO_ROOT.parent / "shared/data/sample_messages.jsonl"
MIN_WEIGHT = 0.12  # smaller coefficients barely move a decision and are not shipped


def _features(row: dict) -> dict[str, float]:
    return engine.model_features(row["text"])


def _urgent_features(row: dict) -> dict[str, float]:
    return engine.urgent_features(row["text"])


def _fit(matrix, labels, names: list[str], strength: float = 8.0) -> dict:
    fitted = LogisticRegression(C=strength, max_iter=3000, class_weight="balanced")
    fitted.fit(matrix, labels)
    coef, intercept, classes = fitted.coef_, fitted.intercept_, [str(c) for c in fitted.classes_]
    if len(classes) == 2:  # binary: scores (0, w.x + b), whose softmax is the sigmoid
        coef, intercept = [[0.0] * coef.shape[1], coef[0]], [0.0, intercept[0]]
    weights = {}
    for index, name in enumerate(names):
        column = [float(row[index]) for row in coef]
        if max(abs(w) for w in column) >= MIN_WEIGHT:
            weights[name] = [round(w, 3) for w in column]
    return {
        "classes": classes,
        "intercepts": [round(float(b), 4) for b in intercept],
        "weights": weights,
    }


def train(rows: list[dict]) -> tuple[model.Model, dict]:
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform([_features(row) for row in rows])
    names = vectorizer.feature_names_
    heads = {
        head: _fit(matrix, [row[head] for row in rows], names) for head in ("boundary", "lane")
    }
    # The learned red-flag detector: urgent or not, on its own, blind to when a symptom began.
    urgent_vectorizer = DictVectorizer()
    urgent_matrix = urgent_vectorizer.fit_transform([_urgent_features(row) for row in rows])
    heads["urgent"] = _fit(
        urgent_matrix,
        ["urgent" if row["boundary"] == "urgent" else "no" for row in rows],
        urgent_vectorizer.feature_names_,
    )
    return model.from_dict(heads), heads


def score(rows: list[dict], learned: model.Model | None) -> dict[str, float]:
    judged = []
    for row in rows:
        ruled, moment, set_aside = engine.rules(row["text"])
        got = engine.combine(ruled, moment, set_aside, learned, row["text"]) if learned else ruled
        judged.append((row, got))
    return eval_triage.figures(judged), judged


def _line(name: str, figs: dict[str, float]) -> str:
    keys = [
        "urgent_recall",
        "clinical_recall",
        "boundary_accuracy",
        "lane_accuracy",
        "complaint_recall",
        "identity_recall",
        "admin_to_clinical",
        "admin_to_urgent",
    ]
    return f"| {name} | {figs['n']} | " + " | ".join(f"{figs[k]:.3f}" for k in keys) + " |"


HEADER = [
    "| scored on | n | urgent recall | clinical recall | boundary acc. | lane acc. |"
    " complaint recall | identity recall | admin→clinical | admin→urgent |",
    "|---|---|---|---|---|---|---|---|---|---|",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holdout", action="append", default=[], help="batch never trained on")
    parser.add_argument("--write", action="store_true", help="save escalation/triage/model.json")
    parser.add_argument(
        "--no-lobo", action="store_true", help="skip the leave-one-batch-out table (slow)"
    )
    args = parser.parse_args(argv)
    batches = {path.stem: eval_triage.load(path) for path in sorted(CORPUS.glob("*.jsonl"))}
    training = {name: rows for name, rows in batches.items() if name not in args.holdout}

    lines = ["## Leave one batch out (rules alone, then rules + model)", "", *HEADER]
    for name, rows in training.items() if not args.no_lobo else ():
        others = [row for other, more in training.items() if other != name for row in more]
        learned, _ = train(others)
        lines.append(_line(f"{name}, rules alone", score(rows, None)[0]))
        lines.append(_line(f"{name}, rules + model", score(rows, learned)[0]))

    learned, heads = train([row for rows in training.values() for row in rows])
    lines += ["", "## Batches never used (model trained on every other batch)", "", *HEADER]
    unseen = {name: batches[name] for name in args.holdout}
    if DEV_SAMPLE.exists():
        unseen["public dev sample"] = eval_triage.load(DEV_SAMPLE)
    for name, rows in unseen.items():
        lines.append(_line(f"{name}, rules alone", score(rows, None)[0]))
        lines.append(_line(f"{name}, rules + model", score(rows, learned)[0]))
    print("\n".join(lines))
    if args.write:
        model.MODEL_FILE.write_text(json.dumps(heads, separators=(",", ":")), encoding="utf-8")
        size = model.MODEL_FILE.stat().st_size
        print(f"\nwrote {model.MODEL_FILE.relative_to(REPO_ROOT)} ({size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
