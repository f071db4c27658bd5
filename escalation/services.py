"""Handing a work item to an escalation route, and what that means for the item."""

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction

from escalation.models import Escalation, EscalationRoute, RouteKind
from queue_app.models import ItemEvent, WorkItem

DEFAULT_ACK_MINUTES = {
    RouteKind.URGENT: 5,
    RouteKind.CLINICAL: 60,
    RouteKind.COMPLAINTS: 240,
    RouteKind.BILLING: 480,
    RouteKind.INTERPRETER: 120,
}
BOUNDARY_ROUTE = {
    WorkItem.Boundary.URGENT: RouteKind.URGENT,
    WorkItem.Boundary.CLINICAL: RouteKind.CLINICAL,
    WorkItem.Boundary.COMPLAINT: RouteKind.COMPLAINTS,
}


class EscalationError(Exception):
    pass


def route_for(*, practice, kind: str) -> EscalationRoute:
    """The practice's route of this kind, created with defaults the first time it is needed."""
    route, _ = EscalationRoute.objects.get_or_create(
        practice=practice,
        kind=kind,
        defaults={
            "name": RouteKind(kind).label,
            "ack_minutes": DEFAULT_ACK_MINUTES[RouteKind(kind)],
        },
    )
    return route


@transaction.atomic
def escalate_item(
    *,
    item: WorkItem,
    route_kind: str,
    reason: str,
    now: datetime,
    actor: User | None = None,
    service: str = "",
    detected_by: str = Escalation.DetectedBy.ASSISTANT,
) -> Escalation:
    """Hand an item to a route: one open escalation per item, the item shows as escalated."""
    if not reason.strip():
        raise EscalationError("Say why this needs to leave the assistant's hands.")
    if open_escalation(item) is not None:
        raise EscalationError("This item is already escalated.")
    route = route_for(practice=item.practice, kind=route_kind)
    escalation = Escalation.objects.create(
        practice=item.practice,
        item=item,
        route=route,
        reason=reason.strip(),
        detected_by=detected_by,
        created_by=actor,
        created=now,
        ack_due_at=now + timedelta(minutes=route.ack_minutes),
    )
    before = item.status
    WorkItem.objects.filter(pk=item.pk).update(
        status=WorkItem.Status.ESCALATED, version=item.version + 1
    )
    ItemEvent.objects.create(
        item=item,
        actor=actor,
        service="" if actor else (service or "triage"),
        kind="escalated",
        before={"status": before},
        after={"status": WorkItem.Status.ESCALATED, "route": route_kind},
        created=now,
    )
    item.refresh_from_db()
    return escalation


def open_escalation(item: WorkItem) -> Escalation | None:
    return item.escalations.filter(
        status__in=[Escalation.Status.OPEN, Escalation.Status.ACKNOWLEDGED]
    ).first()


def blocks_resolution(item: WorkItem) -> str:
    """Why the assistant may not close this item yet, or "" when nothing blocks it."""
    if open_escalation(item) is not None:
        return "The item is escalated: it closes when its route resolves or returns it."
    return ""
