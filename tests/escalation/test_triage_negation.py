"""Triage, fifth round: a negation is read in both directions, as ConText's rules say.

The rule set had the same words ("not", "no", "none", "tampoco") as a forward and as a backward
negation; medspaCy keeps one rule per matched span, so one of each pair never applied: "she is
not short of breath" was urgent. The backward forms are now answers ("chest pain: none.").
"""

from __future__ import annotations

import pytest

from escalation.triage import triage
from escalation.triage.context import NEGATED, assess


def _modifiers(text: str, target: str) -> dict[str, str]:
    start = text.index(target)
    return assess(text, [(start, start + len(target))])[0]


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("she is not short of breath", "short of breath"),
        ("no chest pain", "chest pain"),
        ("chest pain: none.", "chest pain"),
        ("tampoco dolor de pecho", "dolor de pecho"),
    ],
)
def test_negation_applies_in_the_direction_it_is_written(text: str, target: str) -> None:
    assert NEGATED in _modifiers(text, target)


def test_a_home_health_report_that_denies_breathlessness_is_not_urgent() -> None:
    result = triage(
        "This is the home health nurse for Mrs. Ada Pike: her ankles are more swollen this week, "
        "two plus, weight up three pounds, she is not short of breath, lungs clear. Does the "
        "doctor want to change her water pill?"
    )
    assert result.boundary == "clinical"


@pytest.mark.parametrize(
    "text",
    [
        "she is short of breath and not able to finish a sentence",
        "chest pain not going away since this morning",
        "I'm not okay. I am short of breath right now",
    ],
)
def test_a_negation_reaches_no_further_than_what_it_names(text: str) -> None:
    assert triage(text).boundary == "urgent"
