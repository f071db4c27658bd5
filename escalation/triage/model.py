"""The learned second opinion: logistic regression over word and character n-grams.

Trained offline by `bench/train_triage.py` (scikit-learn) on the labeled corpus in
`corpus/messages/`; shipped as plain coefficients in `model.json` (no pickle), scored here in
pure Python. It gives a probability per boundary and per lane, and the words that weighed
most, which the triage reasons quote. It may raise a boundary; only the red-flag layer can
say urgent.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MODEL_FILE = Path(__file__).with_name("model.json")
_TOKEN = re.compile(r"[a-z0-9']+")


def features(folded: str) -> dict[str, float]:
    """Word unigrams and bigrams, and character 3- to 5-grams inside words (misspellings)."""
    words = _TOKEN.findall(folded)
    found: dict[str, float] = {}
    for i, word in enumerate(words):
        found[f"w:{word}"] = 1.0
        if i:
            found[f"b:{words[i - 1]} {word}"] = 1.0
        padded = f" {word} "
        for size in (3, 4, 5):
            for start in range(len(padded) - size + 1):
                found[f"c:{padded[start : start + size]}"] = 1.0
    norm = math.sqrt(len(found)) or 1.0
    return {name: value / norm for name, value in found.items()}


@dataclass(frozen=True)
class Opinion:
    label: str
    probability: float
    probabilities: dict[str, float]
    top_words: tuple[str, ...]


@dataclass(frozen=True)
class Head:
    """One classifier: classes, intercepts and, per feature, its weight for each class."""

    classes: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: dict[str, list[float]]

    def predict(self, found: dict[str, float]) -> Opinion:
        present = [name for name in found if name in self.weights]
        scores = list(self.intercepts)
        for name in present:
            for k, weight in enumerate(self.weights[name]):
                scores[k] += weight * found[name]
        top = max(scores)
        exps = [math.exp(score - top) for score in scores]
        probabilities = {c: e / sum(exps) for c, e in zip(self.classes, exps, strict=True)}
        best = max(range(len(scores)), key=scores.__getitem__)
        weighed = sorted(
            (self.weights[name][best] * found[name], name[2:])
            for name in present
            if name.startswith(("w:", "b:"))
        )
        words = tuple(word for weight, word in reversed(weighed[-3:]) if weight > 0)
        label = self.classes[best]
        return Opinion(label, probabilities[label], probabilities, words)


@dataclass(frozen=True)
class Model:
    boundary: Head
    lane: Head
    urgent: Head  # binary: "urgent" or "no", the learned half of the red-flag layer


def from_dict(data: dict) -> Model:
    heads = {
        name: Head(
            tuple(data[name]["classes"]),
            tuple(data[name]["intercepts"]),
            data[name]["weights"],
        )
        for name in ("boundary", "lane", "urgent")
    }
    return Model(**heads)


@cache
def load() -> Model | None:
    """The shipped model, or None when it has not been trained (the rules then work alone)."""
    if not MODEL_FILE.exists():
        return None
    return from_dict(json.loads(MODEL_FILE.read_text(encoding="utf-8")))
