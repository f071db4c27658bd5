"""Handing a work item to an escalation route, and what happens to it there.

Routes per practice and who hears of a new escalation; acknowledging, resolving, returning
and judging it; the acknowledgement deadline that raises it to the route's backup; and the
service recovery flow of a complaint. Every transition is a conditional update, writes an
ItemEvent on the item, and takes `now=` from the caller.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, IntegerField, QuerySet, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from guardian.shortcuts import get_users_with_perms

from escalation.models import Alert, Escalation, EscalationRoute, RouteKind, ServiceRecovery
from queue_app import access, changes
from queue_app.events import record_item_event
from queue_app.jobs import enqueue
from queue_app.lanes import SERVICE_RECOVERY
from queue_app.models import Practice, WorkItem

logger = logging.getLogger(__name__)

# Queued by name: escalation.tasks imports this module (see queue_app.jobs).
EMAIL_ALERTS = "escalation.tasks.email_alerts_task"

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
# What the assistant tells the patient while the route works. The urgent one defaults to the
# practice's own emergency script; these are the playbook's defaults, editable per practice.
DEFAULT_SCRIPTS = {
    RouteKind.URGENT: {
        "en": "If this is an emergency, hang up and call 911 now, or go to the nearest "
        "emergency room. I am alerting our clinical team right away.",
        "es": "Si es una emergencia, cuelgue y llame al 911 ahora mismo, o vaya a la sala de "
        "emergencias más cercana. Estoy avisando a nuestro equipo clínico de inmediato.",
    },
    RouteKind.CLINICAL: {
        "en": "Thank you for letting us know. I can't answer medical questions, so I have sent "
        "your message to our clinical team, and a nurse will contact you. If it gets worse or "
        "feels like an emergency, call 911.",
        "es": "Gracias por avisarnos. No puedo responder preguntas médicas, así que envié su "
        "mensaje a nuestro equipo clínico y una enfermera se comunicará con usted. Si empeora "
        "o parece una emergencia, llame al 911.",
    },
    RouteKind.BILLING: {
        "en": "I have passed your question to our billing team. They will contact you with "
        "the details; nothing is needed from you right now.",
        "es": "Pasé su pregunta a nuestro equipo de facturación. Se comunicarán con usted con "
        "los detalles; por ahora no tiene que hacer nada.",
    },
    RouteKind.COMPLAINTS: {
        "en": "I'm sorry for the trouble, and thank you for telling us. I have shared what "
        "happened with our practice manager, who will contact you.",
        "es": "Lamentamos mucho las molestias y gracias por decírnoslo. Compartí lo que pasó "
        "con la gerencia de la clínica, que se comunicará con usted.",
    },
    RouteKind.INTERPRETER: {
        "en": "We will arrange an interpreter for you. Someone will contact you in your "
        "language to continue.",
        "es": "Vamos a conseguirle un intérprete. Alguien se comunicará con usted en su idioma "
        "para continuar.",
    },
}
ROUTE_ORDER = [
    RouteKind.URGENT,
    RouteKind.CLINICAL,
    RouteKind.COMPLAINTS,
    RouteKind.BILLING,
    RouteKind.INTERPRETER,
]
# The alert a new escalation raises for its route's people, by route.
NEW_ALERT_KIND = {
    RouteKind.URGENT: Alert.Kind.URGENT,
    RouteKind.COMPLAINTS: Alert.Kind.COMPLAINT,
}
OPEN_STATUSES = (Escalation.Status.OPEN, Escalation.Status.ACKNOWLEDGED)
RECOVERY_MOMENT = SERVICE_RECOVERY


class EscalationError(Exception):
    """An escalation action refused; the message says why, for the person who tried."""


# ---------------------------------------------------------------------------- routes


def ensure_default_routes(*, practice: Practice) -> dict[str, EscalationRoute]:
    """Every route kind exists for the practice (defaults the first time); safe to repeat."""
    routes = {r.kind: r for r in EscalationRoute.objects.filter(practice=practice)}
    for kind in ROUTE_ORDER:
        if kind in routes:
            continue
        script = dict(DEFAULT_SCRIPTS[kind])
        if kind == RouteKind.URGENT and practice.emergency_script.strip():
            script["en"] = practice.emergency_script.strip()
        routes[kind], _ = EscalationRoute.objects.get_or_create(
            practice=practice,
            kind=kind,
            defaults={
                "name": RouteKind(kind).label,
                "ack_minutes": DEFAULT_ACK_MINUTES[kind],
                "patient_script": script,
            },
        )
    return {kind: routes[kind] for kind in ROUTE_ORDER}


def route_for(*, practice: Practice, kind: str) -> EscalationRoute:
    """The practice's route of this kind, created with defaults the first time it is needed."""
    route = EscalationRoute.objects.filter(practice=practice, kind=kind).first()
    if route is None:
        route = ensure_default_routes(practice=practice)[RouteKind(kind)]
    return route


def holders(practice: Practice, permission: str) -> QuerySet[User]:
    """Active people granted this permission in this practice (directly or by group)."""
    users = get_users_with_perms(
        practice, only_with_perms_in=[permission], with_superusers=False, with_group_users=True
    )
    return users.filter(is_active=True).order_by("username")


def route_recipients(route: EscalationRoute) -> list[User]:
    """Who hears of a new escalation on this route.

    The route's chosen recipients who still handle escalations in the practice; with none
    chosen, every escalation handler, except complaints, which go to the managers first.
    """
    handlers = holders(route.practice, access.ESCALATIONS)
    chosen = list(route.recipients.filter(pk__in=handlers.values("pk")).order_by("username"))
    if chosen:
        return chosen
    if route.kind == RouteKind.COMPLAINTS:
        managers = list(handlers.filter(pk__in=holders(route.practice, access.MANAGE).values("pk")))
        if managers:
            return managers
    return list(handlers)


@transaction.atomic
def update_route(
    *,
    route: EscalationRoute,
    name: str,
    ack_minutes: int,
    backup: User | None,
    recipients: list[User],
    patient_script: dict[str, str],
) -> EscalationRoute:
    """Change a route's settings; its backup and recipients must work in the practice."""
    allowed = set(holders(route.practice, access.ESCALATIONS).values_list("pk", flat=True))
    allowed |= set(holders(route.practice, access.MANAGE).values_list("pk", flat=True))
    if backup is not None and backup.pk not in allowed:
        raise EscalationError("The backup must handle escalations or manage this practice.")
    if any(user.pk not in allowed for user in recipients):
        raise EscalationError("Recipients must handle escalations in this practice.")
    if ack_minutes < 1:
        raise EscalationError("The acknowledgement deadline must be at least one minute.")
    route.name = name.strip() or RouteKind(route.kind).label
    route.ack_minutes = ack_minutes
    route.backup = backup
    route.patient_script = {k: v.strip() for k, v in patient_script.items() if v.strip()}
    route.save(update_fields=["name", "ack_minutes", "backup", "patient_script"])
    route.recipients.set(recipients)
    logger.info("route %s updated", route.pk)
    return route


# ---------------------------------------------------------------------------- escalating


def _raise_alerts(
    *, escalation: Escalation, users: list[User], kind: str, now: datetime, email: bool
) -> list[Alert]:
    """One alert per person (never twice: a unique constraint), emailed after commit."""
    Alert.objects.bulk_create(
        [
            Alert(
                practice_id=escalation.practice_id,
                escalation=escalation,
                recipient=user,
                kind=kind,
                created=now,
            )
            for user in {u.pk: u for u in users}.values()
        ],
        ignore_conflicts=True,
    )
    alerts = list(
        Alert.objects.filter(
            escalation=escalation, kind=kind, recipient__in=users, created=now
        ).order_by("pk")
    )
    if email and alerts:
        enqueue(EMAIL_ALERTS, [a.pk for a in alerts])
    return alerts


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
    """Hand an item to a route: one open escalation per item, the item shows as escalated.

    The route's people are alerted at once; an urgent escalation is also emailed to them.
    """
    if not reason.strip():
        raise EscalationError("Say why this needs to leave the assistant's hands.")
    if item.status == WorkItem.Status.RESOLVED:
        raise EscalationError("This item is already resolved.")
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
    # Escalated again: an earlier "sent back" no longer asks anything of the assistant.
    WorkItem.objects.filter(pk=item.pk).update(
        status=WorkItem.Status.ESCALATED, sent_back_at=None, version=F("version") + 1, updated=now
    )
    record_item_event(
        item=item,
        kind="escalated",
        now=now,
        actor=actor,
        service=service or "triage",
        before={"status": before},
        after={"status": WorkItem.Status.ESCALATED, "route": route_kind},
    )
    _raise_alerts(
        escalation=escalation,
        users=route_recipients(route),
        kind=NEW_ALERT_KIND.get(route.kind, Alert.Kind.ESCALATED),
        now=now,
        email=route.kind == RouteKind.URGENT,
    )
    logger.info("item %s escalated to %s as escalation %s", item.pk, route_kind, escalation.pk)
    item.refresh_from_db()
    return escalation


def open_escalation(item: WorkItem) -> Escalation | None:
    return item.escalations.filter(status__in=OPEN_STATUSES).select_related("route").first()


# How pressing each route is: a follow-up may move an open escalation up this list, never down.
ROUTE_RANK = {RouteKind.COMPLAINTS: 1, RouteKind.CLINICAL: 2, RouteKind.URGENT: 3}


@transaction.atomic
def raise_escalation(
    *, item: WorkItem, route_kind: str, reason: str, now: datetime, service: str
) -> Escalation:
    """Send an item to a more pressing route: escalate it, or move its open escalation up.

    A follow-up that reveals an emergency in an item already with the clinical team must still
    alert the urgent route at once; an open escalation is never moved to a lesser route.
    """
    current = open_escalation(item)
    if current is None:
        return escalate_item(
            item=item,
            route_kind=route_kind,
            reason=reason,
            now=now,
            service=service,
            detected_by=Escalation.DetectedBy.TRIAGE,
        )
    if ROUTE_RANK.get(route_kind, 0) <= ROUTE_RANK.get(current.route.kind, 0):
        return current
    route = route_for(practice=item.practice, kind=route_kind)
    before = current.route.kind
    # The new route has to acknowledge it afresh, within its own deadline.
    Escalation.objects.filter(pk=current.pk).update(
        route=route,
        reason=f"{current.reason}\n{reason}",
        status=Escalation.Status.OPEN,
        acknowledged_at=None,
        acknowledged_by=None,
        ack_due_at=now + timedelta(minutes=route.ack_minutes),
    )
    current.refresh_from_db()
    record_item_event(
        item=item,
        kind="escalation_raised",
        now=now,
        service=service,
        before={"route": before},
        after={"route": route_kind},
    )
    _raise_alerts(
        escalation=current,
        users=route_recipients(route),
        kind=NEW_ALERT_KIND.get(route.kind, Alert.Kind.ESCALATED),
        now=now,
        email=route.kind == RouteKind.URGENT,
    )
    return current


def blocks_resolution(item: WorkItem) -> str:
    """Why the assistant may not close this item yet, or "" when nothing blocks it."""
    if open_escalation(item) is not None:
        return "The item is escalated: it closes when its route resolves or returns it."
    return ""


# ---------------------------------------------------------------------------- the route's answer


def _hand_back(*, escalation: Escalation, actor: User, kind: str, now: datetime, after: dict):
    """The item leaves the escalated state: back to its owner, or unowned to be assigned."""
    item = escalation.item
    target = WorkItem.Status.ASSIGNED if item.owner_id else WorkItem.Status.NEW
    # Sent back with an instruction, the item leads the queue until the assistant acts on it.
    sent_back_at = now if kind == "escalation_returned" else None
    moved = WorkItem.objects.filter(pk=item.pk, status=WorkItem.Status.ESCALATED).update(
        status=target, sent_back_at=sent_back_at, version=F("version") + 1, updated=now
    )
    status_after = {"status": target} if moved else {}
    record_item_event(
        item=item,
        kind=kind,
        now=now,
        actor=actor,
        before={"status": WorkItem.Status.ESCALATED} if moved else {},
        after={"escalation": str(escalation.code), **status_after, **after},
        service="escalation",
    )
    # The alert has been answered: nobody else needs to be told about it any more.
    Alert.objects.filter(escalation=escalation, seen_at__isnull=True).update(seen_at=now)
    item.refresh_from_db()


@transaction.atomic
def acknowledge_escalation(*, escalation: Escalation, actor: User, now: datetime) -> Escalation:
    """The route has seen it: stops the acknowledgement clock; only an open one."""
    changed = Escalation.objects.filter(pk=escalation.pk, status=Escalation.Status.OPEN).update(
        status=Escalation.Status.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=actor
    )
    if not changed:
        raise EscalationError("This escalation was already acknowledged or closed.")
    record_item_event(
        item=escalation.item,
        kind="escalation_acknowledged",
        now=now,
        actor=actor,
        after={"escalation": str(escalation.code), "route": escalation.route.kind},
        service="escalation",
    )
    Alert.objects.filter(escalation=escalation, seen_at__isnull=True).update(seen_at=now)
    escalation.refresh_from_db()
    return escalation


@transaction.atomic
def resolve_escalation(
    *, escalation: Escalation, actor: User, note: str, now: datetime
) -> Escalation:
    """The route has dealt with it; the item goes back to the assistant to document and close."""
    changed = Escalation.objects.filter(pk=escalation.pk, status__in=OPEN_STATUSES).update(
        status=Escalation.Status.RESOLVED,
        resolved_at=now,
        resolved_by=actor,
        resolution_note=note.strip(),
        acknowledged_at=Coalesce(F("acknowledged_at"), Value(now)),
        acknowledged_by=Coalesce(
            F("acknowledged_by"), Value(actor.pk), output_field=IntegerField()
        ),
    )
    if not changed:
        raise EscalationError("This escalation is already closed.")
    _hand_back(escalation=escalation, actor=actor, kind="escalation_resolved", now=now, after={})
    recovery = ServiceRecovery.objects.filter(
        escalation=escalation, status=ServiceRecovery.Status.OPEN
    ).first()
    if recovery is not None:
        outcome = note.strip() or "Resolved by its route."
        close_service_recovery(recovery=recovery, actor=actor, outcome=outcome, now=now)
    escalation.refresh_from_db()
    return escalation


@transaction.atomic
def return_escalation(
    *, escalation: Escalation, actor: User, instruction: str, now: datetime
) -> Escalation:
    """Send it back to the assistant with what to do next; the item returns to its owner."""
    instruction = instruction.strip()
    if not instruction:
        raise EscalationError("Tell the assistant what to do next.")
    changed = Escalation.objects.filter(pk=escalation.pk, status__in=OPEN_STATUSES).update(
        status=Escalation.Status.RETURNED,
        returned_at=now,
        returned_by=actor,
        instruction=instruction,
    )
    if not changed:
        raise EscalationError("This escalation is already closed.")
    _hand_back(
        escalation=escalation,
        actor=actor,
        kind="escalation_returned",
        now=now,
        after={"instruction": instruction},
    )
    escalation.refresh_from_db()
    return escalation


@transaction.atomic
def judge_escalation(
    *, escalation: Escalation, actor: User, appropriate: bool, now: datetime
) -> Escalation:
    """The receiving team's verdict, once: it feeds the scorecard's escalation accuracy."""
    changed = Escalation.objects.filter(pk=escalation.pk, judged_appropriate__isnull=True).update(
        judged_appropriate=appropriate, judged_by=actor, judged_at=now
    )
    if not changed:
        raise EscalationError("This escalation has already been judged.")
    record_item_event(
        item=escalation.item,
        kind="escalation_judged",
        now=now,
        actor=actor,
        after={"escalation": str(escalation.code), "appropriate": appropriate},
        service="escalation",
    )
    escalation.refresh_from_db()
    return escalation


# ---------------------------------------------------------------------------- deadlines


def escalate_overdue_acknowledgements(*, now: datetime, limit: int = 500) -> int:
    """Raise every open escalation past its acknowledgement deadline to the route's backup
    and the practice's managers. Safe to run twice: each is raised once (conditional update).
    """
    due = (
        Escalation.objects.filter(
            status=Escalation.Status.OPEN, raised_to_backup_at__isnull=True, ack_due_at__lt=now
        )
        .select_related("route__backup", "practice", "item")
        .order_by("ack_due_at")[:limit]
    )
    raised = 0
    for escalation in due:
        raised += _raise_to_backup(escalation=escalation, now=now)
    if raised:
        logger.info("%d escalations raised to their backup", raised)
    return raised


@transaction.atomic
def _raise_to_backup(*, escalation: Escalation, now: datetime) -> int:
    changed = Escalation.objects.filter(
        pk=escalation.pk, status=Escalation.Status.OPEN, raised_to_backup_at__isnull=True
    ).update(raised_to_backup_at=now)
    if not changed:
        return 0  # acknowledged or raised by another run meanwhile
    backup = escalation.route.backup
    people = list(holders(escalation.practice, access.MANAGE))
    if backup is not None and backup.is_active:
        people.insert(0, backup)
    _raise_alerts(escalation=escalation, users=people, kind=Alert.Kind.OVERDUE, now=now, email=True)
    record_item_event(
        item=escalation.item,
        kind="escalation_raised_to_backup",
        now=now,
        actor=None,
        service="worker",
        after={
            "escalation": str(escalation.code),
            "route": escalation.route.kind,
            "backup": backup.pk if backup else None,
        },
    )
    return 1


# ---------------------------------------------------------------------------- alerts


def email_alerts(*, alert_ids: list[int], now: datetime) -> int:
    """Email each alert once. The email carries ids and a link only, never patient details."""
    sent = 0
    for alert in Alert.objects.filter(pk__in=alert_ids).select_related(
        "recipient", "escalation__route", "practice"
    ):
        # Claim the alert first, so a retried task never emails the same person twice.
        claimed = Alert.objects.filter(pk=alert.pk, emailed_at__isnull=True).update(emailed_at=now)
        if not claimed or not alert.recipient.email:
            continue
        try:
            _alert_email(alert).send()
        except Exception:
            Alert.objects.filter(pk=alert.pk).update(emailed_at=None)
            raise
        sent += 1
    return sent


def _alert_email(alert: Alert) -> EmailMessage:
    escalation = alert.escalation
    link = settings.BASE_URL + reverse("escalation:detail", args=[escalation.code])
    subject = f"[{alert.get_kind_display()}] {alert.practice.name}: {escalation.route.name}"
    body = (
        f"{alert.get_kind_display()} on the {escalation.route.name} route of "
        f"{alert.practice.name}.\n"
        f"Escalation: {escalation.code}\n"
        f"Acknowledge by: {escalation.ack_due_at:%Y-%m-%d %H:%M} UTC\n"
        f"Open it: {link}\n\n"
        "Patient details are never sent by email: sign in to see them.\n"
    )
    return EmailMessage(subject=subject, body=body, to=[alert.recipient.email])


def dismiss_alert(*, alert: Alert, user: User, now: datetime) -> bool:
    """The person has seen their alert; another person's alert is left alone."""
    seen = Alert.objects.filter(pk=alert.pk, recipient=user, seen_at__isnull=True)
    dismissed = bool(seen.update(seen_at=now))
    if dismissed:
        # Their other open pages drop it at the next poll (no item event says so).
        changes.person_changed(user.pk)
    return dismissed


# ---------------------------------------------------------------------------- the inbox


INBOX_VIEWS = ("open", "overdue", "returned", "resolved", "unjudged", "all")


# ---------------------------------------------------------------------------- service recovery


@transaction.atomic
def close_service_recovery(
    *, recovery: ServiceRecovery, actor: User, outcome: str, now: datetime
) -> ServiceRecovery:
    """Close the complaint with its outcome; the patient's later contacts stop showing it."""
    if not outcome.strip():
        raise EscalationError("Say how the complaint was resolved.")
    changed = ServiceRecovery.objects.filter(
        pk=recovery.pk, status=ServiceRecovery.Status.OPEN
    ).update(
        status=ServiceRecovery.Status.CLOSED,
        closed_at=now,
        closed_by=actor,
        outcome=outcome.strip(),
    )
    if not changed:
        raise EscalationError("This complaint is already closed.")
    record_item_event(
        item=recovery.item,
        kind="service_recovery_closed",
        now=now,
        actor=actor,
        after={"recovery": str(recovery.code)},
        service="escalation",
    )
    recovery.refresh_from_db()
    return recovery


# ---------------------------------------------------------------------------- the item panel
