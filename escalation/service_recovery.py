"""Service recovery: a complaint gets an owner, a cause, an action and a promised follow-up.

Closing one is services.close_service_recovery, which resolving its escalation calls.
"""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F

from escalation.models import ServiceRecovery
from escalation.services import EscalationError, escalate_item, open_escalation, route_for
from queue_app.events import record_item_event
from queue_app.models import WorkItem


@transaction.atomic
def open_service_recovery(
    *,
    item: WorkItem,
    actor: User,
    cause: str,
    action: str,
    follow_up_at: datetime,
    route_kind: str,
    now: datetime,
) -> ServiceRecovery:
    """Record a complaint's cause, action and promised follow-up, and hand it to its route
    (complaints: the practice manager) unless the item is already escalated."""
    if not action.strip():
        raise EscalationError("Say what was done or will be done about it.")
    if follow_up_at <= now:
        raise EscalationError("The promised follow-up must be in the future.")
    if ServiceRecovery.objects.filter(item=item).exists():
        raise EscalationError("This item already has a service recovery.")
    if item.status == WorkItem.Status.RESOLVED:
        raise EscalationError("This item is already resolved.")
    escalation = open_escalation(item)
    if escalation is None:
        cause_label = ServiceRecovery.Cause(cause).label
        escalation = escalate_item(
            item=item,
            route_kind=route_kind,
            reason=f"Complaint ({cause_label}): {action.strip()}",
            now=now,
            actor=actor,
        )
    recovery = ServiceRecovery.objects.create(
        practice=item.practice,
        item=item,
        patient=item.patient,
        route=route_for(practice=item.practice, kind=route_kind),
        escalation=escalation,
        cause=cause,
        action=action.strip(),
        follow_up_at=follow_up_at,
        opened_by=actor,
        created=now,
    )
    before = WorkItem.objects.values_list("follow_up_at", flat=True).get(pk=item.pk)
    WorkItem.objects.filter(pk=item.pk).update(
        follow_up_at=follow_up_at, version=F("version") + 1, updated=now
    )
    record_item_event(
        item=item,
        kind="service_recovery_opened",
        now=now,
        actor=actor,
        before={"follow_up_at": before.isoformat() if before else None},
        after={
            "recovery": str(recovery.code),
            "cause": cause,
            "route": route_kind,
            "follow_up_at": follow_up_at.isoformat(),
        },
        service="escalation",
    )
    item.refresh_from_db()
    return recovery
