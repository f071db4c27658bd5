"""The urgent layer: red-flag candidates judged by ConText (README "urgent" row, R2-R4, R18).

Safety by construction. Every candidate found by the concept tables (`redflag_terms.py`), the
net (`redflag_net.py`), the numbers (`measures.py`: a fever reading, a pain score, a baby's
age) or the sound of a self-harm statement however it is spelled (`phonetic.py`) is urgent
unless ConText finds one of two things about that same concept:

* it is explicitly negated ("no chest pain", "sin dolor de pecho"): set aside, and noted;
* it is past and was evaluated or is over ("stroke in 2019, all good now", "fainted last
  month, ER checked me, fine since"): set aside, and noted.

Anything else that might soften a candidate (a hypothetical "what if", a past episode not
said to be over, an episode that stopped without anyone looking at it, a benign reading of a
net clause such as a garbled video call) never makes it administrative: it goes to a
clinician with "check the boundary". Nothing else lowers a red flag: not a third party
telling it, not a chronic condition, not a billing, telehealth or identity context around it,
not a passing mention. This is the only layer that can say urgent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import context
from .measures import AFTER_PROCEDURE, measured_flags, recent_onset
from .phonetic import statements
from .redflag_net import NET_COMPOSITES, NET_FAMILIES, Composite
from .redflag_terms import COMBO_FLAGS, RED_FLAGS
from .text import _EVALUATED, _NEG_CUE, Hit, Message

# A clause ends at sentence punctuation or at a contrast ("but", "pero").
_CLAUSE_BREAK = re.compile(r"[.!?;\n]|\b(?:but|pero|though|although|aunque|however)\b")
# A pair of net matches further apart than this is not one statement.
_MAX_PAIRS = 12
_TIMES = (context.HISTORICAL, context.EARLIER, context.RESOLVED, context.CHRONIC)
# Statements of self-harm, overdose and violence are urgent however they are framed (R4:
# assistants don't judge intent): only a negation or an evaluated past sets them aside.
FIRM_CONCEPTS = frozenset(
    {
        "goodbye message or affairs put in order",
        "no point in living",
        "others better off without me",
        "pills stockpiled, taken in bulk or someone else's",
        "planning a lethal amount",
        "self-harm method named",
        "self-harm or suicide statement",
        "someone else wants to die",
        "threat of harm from a named person",
        "threat of violence",
        "wish not to exist or not to wake up",
    }
)
_FIRST_WORD = re.compile(r"\W*\w+")  # per composite: keeps the net linear in the text's length


@dataclass(frozen=True)
class Candidate:
    """A red-flag concept found in the text: one span, or the parts of a combination."""

    label: str
    spans: tuple[tuple[int, int], ...]
    quote: str
    benign: str = ""  # a benign reading of a net clause, if one is present
    net: bool = False  # found by the net (new wording) rather than the concept tables
    # Where a negation inside the candidate's own words negates it: after the first word of a
    # table phrase ("throat is not swollen"), between the two halves of a net pair. Elsewhere
    # a negation is part of the concept itself ("can't breathe", "want to never wake up").
    negatable: tuple[tuple[int, int], ...] = ()
    read: bool = False  # a measured reading (a temperature): a nearby "not" does not negate it
    # Only the first part's time counts: pain after a procedure sits beside the words that date
    # the procedure ("me operaron la semana pasada"); the fever says whether it is now.
    dated_by_first: bool = False


@dataclass
class Verdict:
    urgent: list[str] = field(default_factory=list)
    clinical: list[str] = field(default_factory=list)  # softened candidates: check the boundary
    set_aside: list[str] = field(default_factory=list)

    @property
    def unsure(self) -> bool:
        return bool(self.clinical) and not self.urgent


def _clauses(folded: str) -> list[tuple[int, int]]:
    starts = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(folded)]
    ends = [m.start() for m in _CLAUSE_BREAK.finditer(folded)] + [len(folded)]
    return list(zip(starts, ends, strict=True))


def _composite_candidates(msg: Message, comp: Composite, clauses) -> list[Candidate]:
    if comp.context and not msg.has(comp.context):
        return []
    found = []
    for c_start, c_end in clauses:
        areas = list(comp.area.finditer(msg.folded, c_start, c_end))
        if not areas:
            continue
        cues = list(comp.cue.finditer(msg.folded, c_start, c_end))
        benign = comp.unless.search(msg.folded, c_start, c_end) if comp.unless else None
        for area in areas:
            for cue in cues:
                if max(cue.start() - area.end(), area.start() - cue.end()) > comp.gap:
                    continue
                quote = f'"{msg.quote(*area.span())}" + "{msg.quote(*cue.span())}"'
                gap = (min(area.end(), cue.end()), max(area.start(), cue.start()))
                found.append(
                    Candidate(
                        comp.label,
                        (area.span(), cue.span()),
                        quote,
                        benign.group() if benign else "",
                        net=True,
                        negatable=(gap,),
                    )
                )
                if len(found) >= _MAX_PAIRS:
                    return found
    return found


def _after_first_word(hit: Hit) -> tuple[int, int]:
    first = _FIRST_WORD.match(hit.quote)
    return (hit.start + (first.end() if first else 0), hit.end)


def _inner_negation(msg: Message, candidate: Candidate) -> str | None:
    for start, end in candidate.negatable:
        if start < end and (cue := _NEG_CUE.search(msg.folded, start, end)):
            return cue.group()
    return None


def candidates(msg: Message) -> list[Candidate]:
    """Every red-flag concept the tables and the net find, before any judgement."""
    found = [
        Candidate(h.label, ((h.start, h.end),), f'"{h.quote}"', negatable=(_after_first_word(h),))
        for h in msg.hits(RED_FLAGS)
    ]
    for label, first, second in COMBO_FLAGS:
        parts_a = list(first.finditer(msg.folded))[:_MAX_PAIRS]
        parts_b = list(second.finditer(msg.folded))[:_MAX_PAIRS]
        for a in parts_a:
            for b in parts_b:
                # a part written as a whole-message lookahead matches empty at the start
                parts = [part for part in (a, b) if part.end() > part.start()]
                quote = " + ".join(f'"{msg.quote(*part.span())}"' for part in parts)
                found.append(Candidate(label, tuple(part.span() for part in parts), quote))
    clauses = _clauses(msg.folded)
    for comp in NET_COMPOSITES:
        found += _composite_candidates(msg, comp, clauses)
    found += [
        Candidate(h.label, ((h.start, h.end),), f'"{h.quote}"', net=True)
        for h in msg.hits(NET_FAMILIES)
    ]
    found += [
        Candidate(label, spans, quote, read=read, dated_by_first=label == AFTER_PROCEDURE)
        for label, spans, quote, read in measured_flags(msg)
    ]
    found += [
        Candidate(label, (span,), f'"{msg.quote(*span)}"', net=True)
        for label, span in statements(msg.folded)
    ]
    return found


def _judge(
    candidate: Candidate,
    modifiers: list[dict[str, str]],
    inner: str | None,
    evaluated: bool,
    recent: str | None,
) -> tuple[str, str]:
    """('urgent' | 'clinical' | 'set aside', why) for one candidate and its parts' modifiers."""
    if inner:
        return "set aside", f'negated by "{inner}", R3'
    for part in modifiers:
        if context.NEGATED in part:
            return "set aside", f'negated by "{part[context.NEGATED]}", R3'
    merged = {category: words for part in modifiers for category, words in part.items()}
    if context.DECEASED in merged:
        # The sender is settling a death's paperwork (R14); the cause is past by nature.
        return "set aside", f'what the patient died of ("{merged[context.DECEASED]}"), R3'
    past = merged.get(context.HISTORICAL)
    earlier = merged.get(context.EARLIER)
    over = merged.get(context.RESOLVED)
    if (past and over) or ((past or earlier or over) and evaluated):
        return "set aside", f'past ("{past or earlier or over}"), since evaluated or recovered, R3'
    teller = merged.get(context.FAMILY)
    if candidate.label in FIRM_CONCEPTS:
        return "urgent", f"reported by {teller}" if teller else "a statement, never judged, R4"
    if context.HYPOTHETICAL in merged:
        return "clinical", f'asked about as a possibility ("{merged[context.HYPOTHETICAL]}")'
    if past or earlier:
        return "clinical", f'described as past ("{past or earlier}") but not as evaluated or over'
    # Over or recurring, but begun within days and never seen by anyone: current (R2, R18).
    if (over or context.CHRONIC in merged) and recent:
        why = f'over ("{over}")' if over else f'recurring ("{merged[context.CHRONIC]}")'
        return "urgent", f'{why} but begun "{recent}" and not evaluated, R2'
    if over:
        return "clinical", f'said to be over ("{over}") but not evaluated'
    if context.CHRONIC in merged:
        return "clinical", f'described as long-standing ("{merged[context.CHRONIC]}")'
    if candidate.benign:
        return "clinical", f'a benign reading is possible ("{candidate.benign}")'
    return "urgent", f"reported by {teller}" if teller else "current and not negated"


def judge(msg: Message) -> Verdict:
    """The urgent, softened and set-aside red flags of a message, each with its reason."""
    found = candidates(msg)
    spans = [span for candidate in found for span in candidate.spans]
    assessed = iter(context.assess(msg.folded, spans))
    evaluated = bool(_EVALUATED.search(msg.folded))
    verdict = Verdict()
    seen: set[str] = set()
    for candidate in found:
        modifiers = [next(assessed) for _ in candidate.spans]
        if candidate.read:
            modifiers = [{k: v for k, v in m.items() if k != context.NEGATED} for m in modifiers]
        if candidate.dated_by_first:
            modifiers[1:] = [{k: v for k, v in m.items() if k not in _TIMES} for m in modifiers[1:]]
        inner = _inner_negation(msg, candidate)
        recent = recent_onset(msg.folded, candidate.spans)
        outcome, why = _judge(candidate, modifiers, inner, evaluated, recent)
        key = f"{outcome}:{candidate.label}"
        if key in seen:
            continue
        seen.add(key)
        if outcome == "urgent":
            net = " (safety net)" if candidate.net else ""
            verdict.urgent.append(f"urgent{net}: {candidate.quote} ({candidate.label}; {why})")
        elif outcome == "clinical":
            verdict.clinical.append(
                f"clinical, check the boundary: {candidate.quote} ({candidate.label}; {why}, R18)"
            )
        else:
            verdict.set_aside.append(f"set aside: {candidate.quote} ({candidate.label}; {why})")
    return verdict
