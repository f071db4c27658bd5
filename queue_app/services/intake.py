"""Intake: a patient need becomes a work item, triaged once, routed and assigned."""

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F

from escalation import services as escalation_services
from escalation.triage import TriageResult, triage
from queue_app.clock import add_business_minutes, zone
from queue_app.events import record_item_event
from queue_app.lanes import Lane
from queue_app.models import CommunicationMoment, Patient, Practice, WorkItem
from queue_app.services.ownership import assign_new_item
from queue_app.services.shared import business_hours

REPEAT_WINDOW = timedelta(days=7)


# README precedence (R1): a follow-up may move an item up this list, never down.
BOUNDARY_RANK = {
    WorkItem.Boundary.ADMINISTRATIVE: 0,
    WorkItem.Boundary.IDENTITY_UNCLEAR: 1,
    WorkItem.Boundary.COMPLAINT: 2,
    WorkItem.Boundary.CLINICAL: 3,
    WorkItem.Boundary.URGENT: 4,
}

# Triage boundaries that leave the assistant's hands at intake, and how pressing each is.
PRIORITY = {
    WorkItem.Boundary.URGENT: 30,
    WorkItem.Boundary.CLINICAL: 20,
    WorkItem.Boundary.COMPLAINT: 10,
}


def lane_moment(practice: Practice, lane: str) -> CommunicationMoment:
    """The practice's moment for a lane triage chose; its general one where it has none."""
    return practice.moments.filter(key=lane).first() or practice.moments.get(key=Lane.OTHER_ADMIN)


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
        triage_unsure=result.unsure,
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


@transaction.atomic
def triage_follow_up(
    *, item: WorkItem, words: str, now: datetime, service: str, message_code: str
) -> TriageResult:
    """Triage the patient's next words on an open item: they may raise its boundary, never
    lower it. A raise names the message behind it, moves the item up the queue and reaches
    the boundary's route at once (urgent alerts even an item already with another team)."""
    result = triage(words)
    before = item.boundary
    if BOUNDARY_RANK[result.boundary] <= BOUNDARY_RANK[before]:
        record_item_event(
            item=item,
            kind="follow_up_triaged",
            now=now,
            service=service,
            after={"message": message_code, "boundary": result.boundary},
        )
        return result
    sent = now.astimezone(zone(item.practice.timezone))
    raised = f"raised from {before} to {result.boundary} by the patient's message of {sent:%H:%M}"
    WorkItem.objects.filter(pk=item.pk).update(
        boundary=result.boundary,
        triage_reasons=[raised, *result.reasons, *item.triage_reasons],
        triage_unsure=result.unsure,
        priority=max(item.priority, PRIORITY.get(result.boundary, 0)),
        version=F("version") + 1,
        updated=now,
    )
    record_item_event(
        item=item,
        kind="boundary_raised",
        now=now,
        service=service,
        before={"boundary": before},
        after={"boundary": result.boundary, "message": message_code},
    )
    item.refresh_from_db()
    route = escalation_services.BOUNDARY_ROUTE.get(result.boundary)
    if route is not None:
        escalation_services.raise_escalation(
            item=item,
            route_kind=route,
            reason="; ".join([raised, *result.reasons]),
            now=now,
            service="triage",
        )
    return result
