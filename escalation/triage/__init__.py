"""Triage of inbound patient messages (EN, ES, Spanglish): a lane and a boundary, explained.

Three layers (see docs/TRIAGE.md):

1. **Red flags** (`redflags.py`): concept tables and a net find candidate emergencies;
   medspaCy's ConText (`context.py`) says whether each is negated, hypothetical, past or
   over. A candidate is urgent unless negated or past-and-evaluated; the doubtful ones go
   to a clinician with "check the boundary". Nothing lowers an urgent result.
2. **Rules** (`clinical.py`, `complaint.py`, `identity.py`, `lanes.py`): the README's
   decision rules R5-R17 as pattern tables with reasons.
3. **Model** (`model.py`): logistic regression over word and character n-grams, trained on
   a corpus written for it. It can raise the boundary the rules chose (never lower it), and
   it chooses the lane when the rules found no workflow moment or when it is sure. Its
   urgent head is the red-flag layer's learned detector: from `URGENT_AT` up, urgent.

When rules and model disagree the result is marked `unsure`, and the item asks the
assistant to confirm the boundary. Every decision quotes the words behind it.
"""

from __future__ import annotations

import re

from queue_app.lanes import LANES

from . import measures, model, redflags
from .clinical import _blank, _clinical
from .complaint import _complaint
from .identity import _identity
from .lanes import _choose_lane
from .text import BOUNDARIES, Message, TriageResult, fold

__all__ = ["BOUNDARIES", "LANES", "MAX_CHARS", "TriageResult", "fold", "rules", "triage"]

# Longer texts are cut here where they enter triage (a portal message is a few thousand
# characters at most); the cut is said among the reasons and makes the result unsure.
MAX_CHARS = 8_000
# The model raises a boundary only when this sure of it.
RAISE_AT = 0.6
# Its urgent vote is the learned half of the red-flag layer: at this probability the message
# is urgent, whatever the rules found (measured: docs/TRIAGE.md, "Choosing the thresholds").
URGENT_AT = 0.5
# ...and chooses the lane where the rules found no moment, or over the rules when this sure
# (leave-one-batch-out lane accuracy: rules first 0.777, this 0.837; docs/TRIAGE.md).
LANE_AT = 0.6

# Speech-to-text fillers ("um", "uh") break multi-word patterns; blanking keeps offsets intact.
_FILLER = re.compile(r"\b(?:u+[hm]+|u+h+m+|h+m+|e+h+|a+h+|e+m+)\b")
_RANK = {name: rank for rank, name in enumerate(reversed(BOUNDARIES))}


def rules(text: str) -> tuple[TriageResult, bool, bool]:
    """The red-flag and rule layers alone: (result, whether the rules found a workflow moment,
    whether a red flag was explicitly set aside)."""
    msg = Message(text, _blank(_FILLER, fold(text)))
    lane, lane_reason, admin_request = _choose_lane(msg)
    red_flags = redflags.judge(msg)
    fired = {
        "urgent": red_flags.urgent,
        "clinical": red_flags.clinical + _clinical(msg, admin_request),
        "complaint": _complaint(msg),
        "identity_unclear": _identity(msg),
    }
    boundary = next((name for name in BOUNDARIES[:-1] if fired[name]), "administrative")
    reasons = [reason for name in BOUNDARIES[:-1] for reason in fired[name]]
    if boundary == "administrative":
        reasons.append("administrative: no urgent, clinical, complaint or identity cue")
    else:
        lower = [name for name in BOUNDARIES[:-1] if fired[name] and name != boundary]
        if lower:
            reasons.append(f"boundary {boundary} outranks {', '.join(lower)} (precedence, R1)")
    notes = red_flags.set_aside + msg.notes
    unsure = red_flags.unsure and boundary == "clinical"
    result = TriageResult(lane, boundary, tuple(reasons + notes + [lane_reason]), unsure)
    found_moment = not lane_reason.startswith("lane other_admin: no workflow")
    return result, found_moment, bool(red_flags.set_aside)


def combine(ruled: TriageResult, found_moment: bool, set_aside: bool, opinion, text: str):
    """The rules' result with the model's second opinion (which can raise, never lower).

    A red flag that ConText found explicitly negated or evaluated outweighs the learned
    detector's urgent vote: the message then goes to a clinician to check instead.
    """
    found = model_features(text)
    said = opinion.boundary.predict(found)
    lane_said = opinion.lane.predict(found)
    boundary, lane, reasons = ruled.boundary, ruled.lane, list(ruled.reasons)
    words = ", ".join(f'"{word}"' for word in said.top_words) or "no single word"
    urgency = opinion.urgent.predict(urgent_features(text)).probabilities["urgent"]
    if boundary != "urgent" and urgency >= URGENT_AT and not set_aside:
        reasons.insert(0, f"urgent (learned red-flag detector, {urgency:.0%}; weighed: {words})")
        return TriageResult(lane, "urgent", tuple(reasons), True)
    # Below that, an emergency the model suspects goes to a clinician to check.
    suspected = "clinical" if said.label == "urgent" else said.label
    if said.probability >= RAISE_AT and _RANK[suspected] > _RANK[boundary]:
        reasons.insert(0, f"{suspected} (model, {said.probability:.0%}; weighed: {words})")
        boundary = suspected
    if boundary == "administrative" and said.label in ("urgent", "clinical"):
        # R18, between administrative and clinical, clinical: the rules found nothing and the
        # model leans clinical or urgent, however unsure; a clinician checks (measured: the
        # rules' unsure administrative results held 35 emergencies and clinical needs in 96).
        reasons.insert(
            0,
            f"clinical: the model leans {said.label} ({said.probability:.0%}; "
            f"weighed: {words}): check the boundary (R18)",
        )
        boundary = "clinical"
    unsure = ruled.unsure or (said.label != ruled.boundary and boundary != "urgent")
    if not found_moment or lane_said.probability >= LANE_AT:
        lane = lane_said.label
        lane_words = ", ".join(f'"{word}"' for word in lane_said.top_words)
        reasons.append(f"lane {lane} (model, {lane_said.probability:.0%}; weighed: {lane_words})")
    return TriageResult(lane, boundary, tuple(reasons), unsure)


def model_features(text: str) -> dict[str, float]:
    """What the learned boundary and lane heads read (training and scoring alike)."""
    return model.features(_blank(_FILLER, fold(text)))


def urgent_features(text: str) -> dict[str, float]:
    """What the learned urgent detector reads: the same words, without when they began."""
    return model.features(measures.without_onsets(_blank(_FILLER, fold(text))))


def triage(text: str, language: str | None = None, channel: str | None = None) -> TriageResult:
    """Label one inbound message with a lane and a boundary, explaining both.

    `language` and `channel` are accepted for callers that have them, but nothing depends on
    them: Spanglish mixes both languages, and red flags matter on every channel.
    """
    cut = len(text) > MAX_CHARS
    ruled, found_moment, set_aside = rules(text[:MAX_CHARS])
    learned = model.load()
    result = ruled
    if learned:
        result = combine(ruled, found_moment, set_aside, learned, text[:MAX_CHARS])
    if cut:
        reason = f"only the first {MAX_CHARS:,} characters were read: check the rest"
        result = TriageResult(result.lane, result.boundary, (*result.reasons, reason), True)
    return result
