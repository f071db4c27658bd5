"""ConText (medspaCy) over the folded text: is a red flag negated, hypothetical, past or over?

The algorithm is medspaCy's ConText (NegEx's successor): a modifier phrase governs the
targets inside its scope, in its direction, until a terminating phrase. The rule set in
`context_rules.json` is ours, written for patients' words in English and Spanish (medspaCy
ships clinical-note rules for English only): short negation scopes, so a stray "no" at the
start of a run-on voicemail never reaches a red flag further on; "not sure", "can't stop" and
"no se para" as pseudo-negations; "if" / "si" / "en caso de" as hypotheticals; years ago and
"history of" as historical; "went away" / "ya se me pasó" as resolved; "for years" /
"siempre" as chronic; "passed away of" / "falleció … de" as what a patient died of; a comma
ends a negation ("no fever, chest pain since noon").

Runs on a blank spaCy pipeline (tokenizer + sentencizer): nothing is downloaded. Terminating
phrases carry a one-token scope: medspaCy 1.3 tests scope overlap one way only, so a
terminator whose scope is the whole sentence never cuts a negation short.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import spacy
from medspacy.context import ConText, ConTextRule

RULES_FILE = Path(__file__).with_name("context_rules.json")
GROUP = "red_flags"
WINDOW = 160  # characters of context read on each side of a red flag
MAX_WINDOW = 800  # nearby red flags share a window up to this size

NEGATED = "NEGATED_EXISTENCE"
HYPOTHETICAL = "HYPOTHETICAL"
HISTORICAL = "HISTORICAL"  # long ago: years, "history of"
EARLIER = "EARLIER"  # weeks ago: past, but recent enough to matter
RESOLVED = "RESOLVED"
FAMILY = "FAMILY"
CHRONIC = "CHRONIC"
DECEASED = "DECEASED"  # what a patient died of ("falleció en enero de un infarto"): paperwork


@cache
def _pipeline():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    context = ConText(
        nlp,
        rules=None,
        input_span_type="group",
        span_group_name=GROUP,
        span_attrs=None,
        terminating_types={NEGATED: ["CLAUSE_BREAK"]},
    )
    context.add(ConTextRule.from_json(RULES_FILE))
    return nlp, context


def assess(folded: str, spans: list[tuple[int, int]]) -> list[dict[str, str]]:
    """For each (start, end) span of `folded`: {category: the words that modify it}.

    ConText runs on a window around the spans (scopes are at most a dozen tokens), never on
    the whole text: medspaCy compares every pair of modifiers, which is quadratic in a long
    text's length and constant in a window's.
    """
    results: list[dict[str, str]] = [{} for _ in spans]
    order = sorted(range(len(spans)), key=lambda k: spans[k])
    window: list[int] = []
    w_start = w_end = 0
    for k in order:
        start, end = spans[k]
        if window and start - WINDOW <= w_end and end + WINDOW - w_start <= MAX_WINDOW:
            window.append(k)
            w_end = max(w_end, end + WINDOW)
            continue
        if window:
            _assess_window(folded, spans, window, w_start, w_end, results)
        window, w_start, w_end = [k], max(0, start - WINDOW), end + WINDOW
    if window:
        _assess_window(folded, spans, window, w_start, w_end, results)
    return results


def _assess_window(folded, spans, members, w_start, w_end, results) -> None:
    nlp, context = _pipeline()
    doc = nlp(folded[w_start:w_end])
    targets = [_span(doc, spans[k][0] - w_start, spans[k][1] - w_start) for k in members]
    doc.spans[GROUP] = targets
    context(doc)
    found: dict[tuple[int, int], dict[str, str]] = {}
    for target, modifier in doc._.context_graph.edges:
        if target.start <= modifier.modifier_span[0] < target.end:
            continue  # part of the red flag's own words ("never wake up"); medspaCy misses this
        words = doc[modifier.modifier_span[0] : modifier.modifier_span[1]].text
        found.setdefault((target.start, target.end), {}).setdefault(modifier.category, words)
    for k, target in zip(members, targets, strict=True):
        results[k] = found.get((target.start, target.end), {})


def _span(doc, start: int, end: int):
    """The tokens that overlap [start, end); a match can begin or end on whitespace."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is not None and len(span):
        return span
    first = next((t.i for t in doc if t.idx + len(t) > start), len(doc) - 1)
    last = next((t.i for t in reversed(doc) if t.idx < end), first)
    return doc[first : max(first, last) + 1]


def warm_up() -> None:
    """Build the pipeline now (about two seconds) rather than on the first message."""
    _pipeline()
