"""The assistant confirms an unsure triage; each confirmation is a labelled example.

Triage suggests, the assistant confirms (DESIGN.md). When the engine was unsure, the panel
asks for the boundary and the moment; the answer clears the question, may raise the item
(never lower it: that is the receiving team's call, by returning it), and is kept for the
next training round (`manage.py export_triage_labels`).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F

from escalation import services
from escalation.models import TriageLabel
from queue_app.events import record_item_event
from queue_app.lanes import LANES
from queue_app.models import WorkItem
from queue_app.services.intake import BOUNDARY_RANK, PRIORITY


class ConfirmationRefused(Exception):
    """The confirmation cannot be recorded; the message says why, for the assistant."""


@transaction.atomic
def confirm_triage(
    *, item: WorkItem, actor: User, boundary: str, lane: str, now: datetime
) -> TriageLabel:
    """Record the assistant's boundary and moment for an unsure item; raise it if higher."""
    item = WorkItem.objects.select_for_update().get(pk=item.pk)
    if lane not in LANES or boundary not in BOUNDARY_RANK:
        raise ConfirmationRefused("Choose a boundary and a moment from the lists.")
    if BOUNDARY_RANK[boundary] < BOUNDARY_RANK[item.boundary]:
        raise ConfirmationRefused(
            f"This item is {item.get_boundary_display().lower()}: only the team it went to can "
            "lower that, by returning it. Confirm it, or choose a more pressing boundary."
        )
    label = TriageLabel.objects.create(
        practice=item.practice,
        item=item,
        words=item.patient_words,
        language=item.language,
        channel=item.channel,
        suggested_lane=item.moment.key,
        suggested_boundary=item.boundary,
        lane=lane,
        boundary=boundary,
        confirmed_by=actor,
        created=now,
    )
    raised = BOUNDARY_RANK[boundary] > BOUNDARY_RANK[item.boundary]
    WorkItem.objects.filter(pk=item.pk).update(
        triage_unsure=False,
        boundary=boundary,
        priority=max(item.priority, PRIORITY.get(boundary, 0)),
        version=F("version") + 1,
        updated=now,
    )
    record_item_event(
        item=item,
        kind="triage_confirmed",
        now=now,
        actor=actor,
        before={"boundary": item.boundary, "lane": item.moment.key},
        after={"boundary": boundary, "lane": lane},
    )
    route = services.BOUNDARY_ROUTE.get(boundary)
    if raised and route is not None:
        item.refresh_from_db()
        services.raise_escalation(
            item=item,
            route_kind=route,
            reason=f"boundary confirmed as {boundary} by the assistant",
            now=now,
            service="assistant",
        )
    return label


def as_corpus_row(label: TriageLabel) -> dict:
    """The label in the corpus schema of corpus/messages (see bench/train_triage.py)."""
    return {
        "id": f"confirmed-{label.pk}",
        "text": label.words,
        "language": label.language,
        "channel": label.channel,
        "lane": label.lane,
        "boundary": label.boundary,
        "note": (
            f"confirmed by an assistant; triage said {label.suggested_lane} / "
            f"{label.suggested_boundary}"
        ),
    }
