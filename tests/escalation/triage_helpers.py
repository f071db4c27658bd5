"""What the triage tests share: the boundary of a text, and the sets a safe answer falls in."""

from __future__ import annotations

from escalation.triage import triage

# The design errs loud: a clinical need may be raised to urgent by the learned red-flag
# detector (docs/TRIAGE.md), never lowered to administrative.
AT_LEAST_CLINICAL = {"clinical", "urgent"}
NEVER_URGENT = {"administrative", "clinical", "complaint", "identity_unclear"}


def boundary_of(text: str) -> str:
    return triage(text).boundary
