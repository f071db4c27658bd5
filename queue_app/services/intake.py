"""Intake: a patient need becomes a work item, triaged once, routed and assigned."""

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction

from escalation import services as escalation_services
from escalation.triage import TriageResult, triage
from queue_app.clock import add_business_minutes
from queue_app.events import record_item_event
from queue_app.models import CommunicationMoment, Patient, Practice, WorkItem
from queue_app.services.ownership import assign_new_item
from queue_app.services.shared import business_hours

REPEAT_WINDOW = timedelta(days=7)


# Triage boundaries that leave the assistant's hands at intake, and how pressing each is.
PRIORITY = {
    WorkItem.Boundary.URGENT: 30,
    WorkItem.Boundary.CLINICAL: 20,
    WorkItem.Boundary.COMPLAINT: 10,
}


@transaction.atomic
def create_item(
    *,
    practice: Practice,
    patient: Patient | None,
    moment: CommunicationMoment,
    channel: str,
    words: str,
    language: str,
    now: datetime,
    actor: User | None = None,
    service: str = "",
    triaged: TriageResult | None = None,
) -> WorkItem:
    """Open an item: due in business minutes, triaged, escalated if needed, then assigned.

    `triaged` is the triage of `words` when the caller has it already (an inbound message
    is triaged once, where it arrives); otherwise the words are triaged here.
    """
    due_at = add_business_minutes(now, moment.first_response_minutes, business_hours(practice))
    earlier = None
    if patient is not None:
        earlier = (
            WorkItem.objects.filter(
                patient=patient, moment=moment, received_at__gte=now - REPEAT_WINDOW
            )
            .order_by("-received_at", "-id")
            .first()
        )
    result = triaged or triage(words)
    boundary = result.boundary
    item = WorkItem.objects.create(
        practice=practice,
        patient=patient,
        moment=moment,
        channel=channel,
        patient_words=words,
        language=language,
        boundary=boundary,
        triage_reasons=list(result.reasons),
        priority=PRIORITY.get(boundary, 0),
        received_at=now,
        due_at=due_at,
        repeat_of=earlier,
    )
    record_item_event(
        item=item,
        kind="created",
        now=now,
        actor=actor,
        service=service or "intake",
        after={
            "channel": channel,
            "moment": moment.key,
            "boundary": boundary,
            "repeat_of": str(earlier.code) if earlier else None,
        },
    )
    route = escalation_services.BOUNDARY_ROUTE.get(boundary)
    if route is not None:
        escalation_services.escalate_item(
            item=item,
            route_kind=route,
            reason="; ".join(result.reasons) or f"triage: {boundary}",
            now=now,
            service="triage",
            detected_by="triage",
        )
    if practice.assignment_rule == Practice.AssignmentRule.ROUND_ROBIN:
        assign_new_item(item=item, now=now)
    return item
