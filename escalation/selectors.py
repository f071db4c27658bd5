"""Reads of escalation that change nothing: the alert banner, the inbox, the item panel."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Case, IntegerField, QuerySet, When

from escalation.models import Alert, Escalation, EscalationRoute, RouteKind, ServiceRecovery
from escalation.services import OPEN_STATUSES, RECOVERY_MOMENT, ensure_default_routes
from queue_app import access
from queue_app.models import Patient, Practice, WorkItem


@dataclass
class Banner:
    urgent: list[Escalation] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    work_practice_ids: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.urgent or self.alerts)


def banner_for(*, user: User, roles: access.Roles) -> Banner:
    """What the alert banner shows this person: open urgent escalations in the practices they
    work or handle escalations for (by `roles`, the person's), and their own unseen alerts.
    No patient details."""
    work = set(roles.practice_ids(access.WORK))
    handle = set(roles.practice_ids(access.ESCALATIONS))
    if not work and not handle:
        return Banner()
    urgent = list(
        Escalation.objects.filter(
            practice__in=work | handle, route__kind=RouteKind.URGENT, status__in=OPEN_STATUSES
        )
        .select_related("practice", "route", "item")
        .order_by("created")[:10]
    )
    alerts = list(
        Alert.objects.filter(recipient=user, seen_at__isnull=True, practice__in=work | handle)
        .exclude(kind=Alert.Kind.URGENT)
        .select_related("practice", "escalation__route")
        .order_by("-created")[:10]
    )
    return Banner(urgent=urgent, alerts=alerts, work_practice_ids=work)


PAST_VIEWS = ("resolved", "unjudged")


def inbox_escalations(
    *, practices: QuerySet[Practice], view: str, route_kind: str, now: datetime
) -> QuerySet[Escalation]:
    """Escalations of these practices for the inbox: overdue first, then urgent, then due;
    resolved and unjudged ones newest first."""
    qs = Escalation.objects.filter(practice__in=practices).select_related(
        "practice", "route", "item__patient", "item__moment", "item__owner", "acknowledged_by"
    )
    if view == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif view == "overdue":
        qs = qs.filter(status=Escalation.Status.OPEN, ack_due_at__lt=now)
    elif view == "returned":
        qs = qs.filter(status=Escalation.Status.RETURNED)
    elif view == "resolved":
        qs = qs.filter(status=Escalation.Status.RESOLVED)
    elif view == "unjudged":
        qs = qs.filter(judged_appropriate__isnull=True).exclude(status__in=OPEN_STATUSES)
    if route_kind:
        qs = qs.filter(route__kind=route_kind)
    # What is past (resolved, or waiting for a manager's verdict) is read newest first.
    order = (
        ("-created", "-pk")
        if view in PAST_VIEWS
        else ("-overdue_rank", "-urgent_rank", "ack_due_at", "pk")
    )
    return qs.annotate(
        overdue_rank=Case(
            When(status=Escalation.Status.OPEN, ack_due_at__lt=now, then=1),
            default=0,
            output_field=IntegerField(),
        ),
        urgent_rank=Case(
            When(route__kind=RouteKind.URGENT, then=1), default=0, output_field=IntegerField()
        ),
    ).order_by(*order)


def is_complaint(item: WorkItem) -> bool:
    return item.boundary == WorkItem.Boundary.COMPLAINT or item.moment.key == RECOVERY_MOMENT


def open_complaint_for(patient: Patient | None) -> ServiceRecovery | None:
    """The patient's open complaint, so their later contacts show it; None when there is none."""
    if patient is None:
        return None
    return (
        ServiceRecovery.objects.filter(patient=patient, status=ServiceRecovery.Status.OPEN)
        .select_related("item", "route")
        .order_by("-created")
        .first()
    )


@dataclass
class PanelState:
    escalation: Escalation | None
    routes: dict[str, EscalationRoute]
    urgent: bool
    emergency_script: str
    meanwhile_script: str
    open_complaint: ServiceRecovery | None
    recovery: ServiceRecovery | None
    complaint: bool


def panel_state(*, item: WorkItem) -> PanelState:
    """What the assistant's item panel shows about escalation, in the item's language."""
    routes = ensure_default_routes(practice=item.practice)
    latest = (
        item.escalations.select_related("route", "acknowledged_by", "returned_by", "resolved_by")
        .order_by("-created", "-pk")
        .first()
    )
    current = latest if latest is not None and latest.is_open else None
    urgent = item.is_open and (
        (current is not None and current.route.kind == RouteKind.URGENT)
        or item.boundary == WorkItem.Boundary.URGENT
    )
    emergency = routes[RouteKind.URGENT].script(item.language) or item.practice.emergency_script
    recovery = ServiceRecovery.objects.filter(item=item).select_related("route").first()
    complaint = open_complaint_for(item.patient)
    return PanelState(
        escalation=latest,
        routes=routes,
        urgent=urgent,
        emergency_script=emergency,
        meanwhile_script=current.route.script(item.language) if current else "",
        open_complaint=complaint if complaint and complaint.item_id != item.pk else None,
        recovery=recovery,
        complaint=is_complaint(item),
    )


@dataclass(frozen=True)
class SentBack:
    """Why the clinical team handed an item back: who, when, and what to do next."""

    route: str
    instruction: str
    at: datetime


def sent_back_reasons(*, item_ids: list[int]) -> dict[int, SentBack]:
    """The latest return of each of these items, in one query (none when the list is empty)."""
    if not item_ids:
        return {}
    returns = (
        Escalation.objects.filter(item_id__in=item_ids, status=Escalation.Status.RETURNED)
        .select_related("route")
        .order_by("returned_at", "pk")
    )
    # Later returns overwrite earlier ones: the newest instruction is the one that stands.
    return {
        escalation.item_id: SentBack(
            escalation.route.name, escalation.instruction, escalation.returned_at
        )
        for escalation in returns
    }
