"""Service recovery: a complaint gets an owner, a cause, an action and a promised follow-up.

Closing one is services.close_service_recovery, which resolving its escalation calls.
"""

import logging
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F

from escalation.models import Alert, Escalation, RouteKind, ServiceRecovery
from escalation.services import EscalationError, escalate_item, open_escalation, route_for
from queue_app.events import record_item_event
from queue_app.lanes import SERVICE_RECOVERY
from queue_app.models import WorkItem

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
