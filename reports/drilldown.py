"""Drill-down: the rows behind a scorecard number, built from the same conditions as the counts."""

from collections.abc import Callable
from datetime import date, datetime

from django.db.models import Q, QuerySet

from queue_app.models import Appointment, Practice, WorkItem
from reports.metrics import (
    NOT_INBOUND,
    PROMISE_CONDITIONS,
    RESPONSE_STATES,
    SURVEY_CONDITIONS,
    Week,
    appointment_base,
    cause_expression,
    complaint_communication_q,
    complaint_q,
    confirmed_q,
    escalation_base,
    followed_by_repeat,
    items_of,
    missed_escalation_items,
    older_cutoff,
    open_q,
    overridden_note_items,
    promise_base,
    qa_base,
    rebooked_q,
    received_q,
    repeat_q,
    survey_base,
    template_messages,
    week_of,
    week_responses,
)

# Filters a drill-down URL may carry, besides the metric itself.
DRILL_KEYS = ("moment", "language", "channel", "route", "cause", "template")

ITEM_CONDITIONS: dict[str, Callable[[Week], Q]] = {
    "received": received_q,
    "resolved": lambda w: Q(resolved_at__gte=w.start, resolved_at__lt=w.end),
    "open_at_end": open_q,
    "open_older": lambda w: (
        open_q(w)
        & (Q(received_at__lt=cutoff) if (cutoff := older_cutoff(w)) else Q(pk__isnull=True))
    ),
    "unresolved_portal": lambda w: open_q(w) & Q(channel=WorkItem.Channel.PORTAL),
    "inbound": lambda w: received_q(w) & ~Q(channel__in=NOT_INBOUND),
    "repeat_contacts": lambda w: received_q(w) & repeat_q(w),
    "complaints": complaint_q,
    "complaints_communication": complaint_communication_q,
}
ESCALATION_CONDITIONS: dict[str, Q] = {
    "escalated": Q(),
    "escalations_judged": Q(judged_appropriate__isnull=False),
    "escalations_appropriate": Q(judged_appropriate=True),
    "escalations_unjudged": Q(judged_appropriate__isnull=True),
}
QA_CONDITIONS: dict[str, Q] = {
    "qa_reviewed": Q(),
    "qa_passed": Q(passed=True),
    "qa_failed": Q(passed=False),
}
APPOINTMENT_CONDITIONS: dict[str, Callable[[], Q]] = {
    "appointments_due": lambda: ~Q(status=Appointment.Status.CANCELLED),
    "confirmed_before_start": lambda: ~Q(status=Appointment.Status.CANCELLED) & confirmed_q(),
    "no_shows": lambda: Q(status=Appointment.Status.NO_SHOW),
    "rebooked": rebooked_q,
}
DRILL_METRICS = (
    set(ITEM_CONDITIONS)
    | set(ESCALATION_CONDITIONS)
    | set(QA_CONDITIONS)
    | set(APPOINTMENT_CONDITIONS)
    | set(RESPONSE_STATES)
    | set(PROMISE_CONDITIONS)
    | set(SURVEY_CONDITIONS)
    | {"missed_escalations", "note_overrides", "template_items", "template_repeats"}
)


def is_appointment_metric(metric: str) -> bool:
    return metric in APPOINTMENT_CONDITIONS


def drilldown(
    *, practice: Practice, week: date, metric: str, filters: dict[str, str], now: datetime
) -> QuerySet:
    """The work items (or, for appointment metrics, appointments) counted in one number."""
    if metric not in DRILL_METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    w = week_of(practice=practice, week=week, now=now, language=filters.get("language"))
    if metric in APPOINTMENT_CONDITIONS:
        return appointment_base(w).filter(APPOINTMENT_CONDITIONS[metric]())
    items = items_of(w)
    if filters.get("moment"):
        items = items.filter(moment__key=filters["moment"])
    if filters.get("channel"):
        items = items.filter(channel=filters["channel"])
    if metric in ITEM_CONDITIONS:
        items = items.filter(ITEM_CONDITIONS[metric](w))
        if filters.get("cause"):
            items = items.annotate(cause=cause_expression()).filter(cause=filters["cause"])
        return items
    if metric in ESCALATION_CONDITIONS:
        escalations = escalation_base(w).filter(ESCALATION_CONDITIONS[metric])
        if filters.get("route"):
            escalations = escalations.filter(route__kind=filters["route"])
        return items.filter(pk__in=escalations.values("item_id"))
    if metric in QA_CONDITIONS:
        return items.filter(pk__in=qa_base(w).filter(QA_CONDITIONS[metric]).values("item_id"))
    if metric == "missed_escalations":
        return items.filter(pk__in=missed_escalation_items(w).values("pk"))
    if metric == "note_overrides":
        return items.filter(pk__in=overridden_note_items(w).values("pk"))
    if metric in PROMISE_CONDITIONS:
        # Joined, not a subquery: an item listed once per promise, so the rows are the count.
        promises = promise_base(w).filter(PROMISE_CONDITIONS[metric])
        return items.filter(promises__in=promises)
    if metric in SURVEY_CONDITIONS:
        surveys = survey_base(w).filter(SURVEY_CONDITIONS[metric])
        if filters.get("template"):
            surveys = surveys.filter(template__code=filters["template"])
        return items.filter(pk__in=surveys.values("item_id"))
    if metric in RESPONSE_STATES:
        ids = [r.item_id for r in week_responses(w, items) if r.state in RESPONSE_STATES[metric]]
        return items.filter(pk__in=ids)
    messages = template_messages(w).filter(template__code=filters.get("template"))
    if metric == "template_repeats":
        messages = messages.filter(followed_by_repeat("item_id"))
    return items.filter(pk__in=messages.values("item_id"))
