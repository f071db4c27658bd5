"""Closing an item: only with no open escalation and a note that meets its standard."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F

from escalation.services import blocks_resolution
from notes.services import latest_note_verdict
from queue_app import lanes
from queue_app.events import record_item_event
from queue_app.models import WorkItem
from queue_app.services.shared import WORKED, ActionRefused, locked, refreshed, require_owner
from queue_app.services.working import acted_on

# "the request", "the promised follow-up"…: for the sentence that names what a note lacks.
NOTE_ELEMENT_LABELS = {
    key: f"the {name.lower()}" for key, name in lanes.NOTE_ELEMENT_LABELS["en"].items()
}


@transaction.atomic
def resolve_item(*, item: WorkItem, actor: User, now: datetime) -> WorkItem:
    """Close an item; only with no open escalation and a note that meets its standard."""
    fresh = locked(item)
    require_owner(fresh, actor)
    blocked = blocks_resolution(fresh)
    if blocked:
        raise ActionRefused(blocked)
    verdict = latest_note_verdict(fresh)
    if verdict is None:
        raise ActionRefused("Write a note before resolving: the item closes only with one.")
    if verdict.label == "vague":
        missing = ", ".join(NOTE_ELEMENT_LABELS.get(m, m) for m in verdict.missing)
        raise ActionRefused(f"The latest note does not meet the standard; it is missing {missing}.")
    # A clock behind the sender's (or an imported timestamp) can put received_at after
    # now; the resolution is then recorded at the receipt, never before it.
    resolved_at = max(now, fresh.received_at)
    changed = WorkItem.objects.filter(pk=item.pk, status__in=WORKED).update(
        status=WorkItem.Status.RESOLVED,
        resolved_at=resolved_at,
        version=F("version") + 1,
        updated=now,
    )
    if not changed:  # the owner holds the row lock, so only a closed item gets here
        raise ActionRefused("This item is no longer open.")
    acted_on(fresh, action="resolved", now=now)
    record_item_event(
        item=item,
        kind="resolved",
        now=now,
        actor=actor,
        before={"status": fresh.status},
        after={"status": WorkItem.Status.RESOLVED},
        service="queue",
    )
    return refreshed(item)
