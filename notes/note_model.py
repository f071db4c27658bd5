"""A small learned layer over the rule detectors: one logistic regression per element.

The rules (notes.checker) know the wording they were written on; the model reads the same
note as word and character n-grams plus what the rules found, and learns from labeled notes
how staff actually write each element. Coefficients ship as plain JSON
(`note_model.json`, written by `bench/train_notes.py`); scoring here is pure Python, so no
pickle is ever loaded and scikit-learn is needed only to train.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("note_model.json")

_TOKEN = re.compile(r"[a-záéíóúñü]+(?:['/][a-záéíóúñü]+)*|\d+(?::\d+)?[ap]?m?|[#$/:]", re.I)
_DIGITS = re.compile(r"\d")


def _tokens(text: str) -> list[str]:
    # Digits collapse to 0 so "3:30p" and "11:05a" share one shape.
    return [_DIGITS.sub("0", t.lower()) for t in _TOKEN.findall(text)]


def features(text: str, lane: str, rules_found: frozenset[str] | set[str]) -> dict[str, float]:
    """Binary n-gram features scaled to unit length, plus lane and rule-detector features."""
    words = _tokens(text)
    grams = set(words)
    grams.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    for word in words:
        padded = f" {word} "
        for size in (3, 4, 5):
            grams.update("c:" + padded[i : i + size] for i in range(len(padded) - size + 1))
    scale = 1 / math.sqrt(len(grams)) if grams else 0.0
    vector = dict.fromkeys(grams, scale)
    vector[f"lane:{lane}"] = 1.0
    for element in rules_found:
        vector[f"rule:{element}"] = 1.0
    return vector


@cache
def load_model(path: Path = MODEL_PATH) -> dict | None:
    """{element: {"bias": float, "weights": {feature: float}}}, or None when not trained."""
    if not path.exists():
        return None
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)["elements"]


def present_probabilities(
    vector: dict[str, float], elements: tuple[str, ...], model: dict
) -> dict[str, float]:
    """P(element present) for each element the model knows."""
    out = {}
    for element in elements:
        params = model.get(element)
        if params is None:
            continue
        weights = params["weights"]
        z = params["bias"] + sum(weights.get(f, 0.0) * v for f, v in vector.items())
        out[element] = 1 / (1 + math.exp(-max(min(z, 40.0), -40.0)))
    return out
