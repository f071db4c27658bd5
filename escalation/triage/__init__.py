"""Offline rule-based triage of inbound patient messages (EN, ES, Spanglish).

Pipeline for one message (see docs/TRIAGE.md):

1. Fold the text: lowercase, accents removed, curly quotes straightened. Folding is done
   character by character, so a match in the folded text quotes the original text verbatim.
2. Detect each boundary class independently with pattern tables grouped by concept:
   urgent red flags, clinical needs, complaint cues, identity cues.  Red flags and symptoms
   pass a negation check (NegEx-style: a cue such as "no", "sin", "denies" at most three
   words before the term, inside the same clause) and a history check ("in 2019",
   "years ago"), so "no chest pain" or "heart attack in 2019" are set aside (rule R3).
   When no red-flag table fires, a safety net looks for new wording: a vital area and an
   acute cue in one clause ("ticker" + "squeezed"), or a whole statement family ("want to
   never wake up"), with the same negation, history and chronic checks.
3. Pick the highest boundary that fired, in README precedence (R1).
4. Pick the lane independently: the earliest-mentioned workflow moment wins, with a few
   dominance pairs (a no-show beats its fee, an in-visit problem beats setup), then
   generic appointment questions, then the `other_admin` catch-all (R17).

Every decision adds a human-readable reason quoting the words that triggered it.
Standard library only: this module must stay importable without Django.
"""

from __future__ import annotations

import re

from .clinical import _blank, _clinical
from .complaint import _complaint
from .identity import _identity
from .lanes import _choose_lane
from .redflags import _urgent
from .text import BOUNDARIES, LANES, Message, TriageResult, fold

__all__ = ["BOUNDARIES", "LANES", "TriageResult", "fold", "triage"]

# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


# Speech-to-text fillers ("um", "uh") break multi-word patterns; blanking keeps offsets intact.
_FILLER = re.compile(r"\b(?:u+[hm]+|u+h+m+|h+m+|e+h+|a+h+|e+m+)\b")


def triage(text: str, language: str | None = None, channel: str | None = None) -> TriageResult:
    """Label one inbound message with a lane and a boundary, explaining both.

    `language` and `channel` are accepted for callers that have them, but the rules don't
    depend on them: Spanglish mixes both languages, and red flags matter on every channel.
    """
    msg = Message(text, _blank(_FILLER, fold(text)))
    lane, lane_reason, admin_request = _choose_lane(msg)
    fired = {
        "urgent": _urgent(msg),
        "clinical": _clinical(msg, admin_request),
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
    return TriageResult(lane, boundary, tuple(reasons + msg.notes + [lane_reason]))

