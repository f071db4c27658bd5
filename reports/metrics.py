"""The weekly scorecard's numbers: the one place every metric is defined and computed.

Every count is a database aggregate (conditional `Count`s, grouped by moment, language and
channel). The only per-item data fetched is the (received, first response) pair of the week's
items, because business minutes depend on the practice's calendar; the median, 90th
percentile and share within target are computed from those pairs. The page, the CSV export,
the `scorecard` command and the stored snapshots all read `compute_scorecard`.

Weeks run Monday 00:00 to the next Monday 00:00 on the practice's wall clock, converted to
UTC instants with zoneinfo, so a week containing a DST change is 167 or 169 hours long.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.db.models.lookups import IContains
from django.utils import timezone

from escalation.models import Escalation, RouteKind
from notes.models import QAReview
from queue_app.clock import BusinessHours, zone
from queue_app.models import (
    Appointment,
    CommunicationMoment,
    Language,
    Message,
    Practice,
    WorkItem,
)
from reports.definitions import DEFINITIONS, DEFINITIONS_VERSION
from reports.response_times import (
    RESPONSE_STATES,
    SENT_STATUSES,
    Response,
    rate,
    response_summary,
    responses,
)

__all__ = [
    "DEFINITIONS",
    "DEFINITIONS_VERSION",
    "RESPONSE_STATES",
    "SENT_STATUSES",
    "compute_scorecard",
    "rate",
    "response_summary",
]

REPEAT_WINDOW = timedelta(days=7)
REBOOK_WINDOW = timedelta(days=7)
NOT_INBOUND = (WorkItem.Channel.SCHEDULE,)
COMPLAINT_CAUSES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("no_response", "No response or repeated failure", ("repeated-failure", "nobody respond")),
    ("dissatisfaction", "Dissatisfaction with staff or service", ("explicit dissatisfaction",)),
    ("redress", "Demands redress", ("demands redress",)),
    ("charge_dispute", "Disputes a charge", ("disputes a charge",)),
)
OTHER_CAUSE = ("other", "Other or not stated")
COMMUNICATION_CAUSES = ("no_response", "dissatisfaction")
ITEM_DIMS = {"moment": "moment_id", "language": "language", "channel": "channel"}
# Drill-down filters a URL may carry, besides the metric itself.


@dataclass(frozen=True)
class Week:
    """One practice-week: its UTC edges, the instant it is read at, and the language filter."""

    practice: Practice
    monday: date
    start: datetime
    end: datetime
    now: datetime
    language: str | None = None

    @property
    def as_of(self) -> datetime:
        return min(self.end, self.now)

    @property
    def complete(self) -> bool:
        return self.now >= self.end

    @property
    def hours(self) -> BusinessHours:
        return BusinessHours.from_json(self.practice.timezone, self.practice.business_hours)


def week_of(*, practice: Practice, week: date, now: datetime, language: str | None = None) -> Week:
    """The practice-week starting on Monday `week`, edges on the practice's wall clock."""
    if week.isoweekday() != 1:
        raise ValueError(f"a scorecard week starts on a Monday, got {week:%A} {week}")
    tz = zone(practice.timezone)
    start = datetime.combine(week, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(week + timedelta(days=7), time(0), tzinfo=tz).astimezone(UTC)
    return Week(practice, week, start, end, now.astimezone(UTC), language or None)


def monday_of(*, practice: Practice, instant: datetime) -> date:
    """Monday of the practice-week that contains this instant."""
    local = instant.astimezone(zone(practice.timezone)).date()
    return local - timedelta(days=local.weekday())


def parse_iso_week(text: str) -> date:
    """'2026-W47' → that ISO week's Monday; ValueError when malformed."""
    try:
        year, _, number = text.strip().upper().partition("-W")
        return date.fromisocalendar(int(year), int(number), 1)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"expected a week like 2026-W47, got {text!r}") from exc


def iso_week(monday: date) -> str:
    year, number, _ = monday.isocalendar()
    return f"{year}-W{number:02d}"


# --------------------------------------------------------------------------------------
# The populations and conditions every count and drill-down shares
# --------------------------------------------------------------------------------------


def received_q(w: Week, prefix: str = "") -> Q:
    return Q(**{f"{prefix}received_at__gte": w.start, f"{prefix}received_at__lt": w.end})


def open_q(w: Week) -> Q:
    # ~Q(status=resolved) matches the partial index item_open_due; resolved_at is null
    # exactly when an item is open (item_resolved_has_time).
    return Q(received_at__lt=w.as_of) & (
        ~Q(status=WorkItem.Status.RESOLVED) | Q(resolved_at__gte=w.as_of)
    )


def older_cutoff(w: Week) -> datetime | None:
    """Items received before this instant are older than two business days at `as_of`.

    business_days_between counts the business days after the day of receipt up to the
    reading day, so "> 2" holds exactly for days before the third business day back.
    """
    hours = w.hours
    day = (w.as_of - timedelta(microseconds=1)).astimezone(hours.tz).date()
    found = 0
    for back in range(3 * 366):
        candidate = day - timedelta(days=back)
        if hours.is_business_day(candidate):
            found += 1
            if found == 3:
                return datetime.combine(candidate, time(0), tzinfo=hours.tz).astimezone(UTC)
    return None


def repeat_q(w: Week) -> Q:
    """An inbound item with an earlier item of the same patient and moment within 7 days."""
    earlier = WorkItem.objects.filter(
        practice=w.practice,
        patient=OuterRef("patient"),
        moment=OuterRef("moment"),
        received_at__lt=OuterRef("received_at"),
        received_at__gte=OuterRef("received_at") - REPEAT_WINDOW,
    )
    return ~Q(channel__in=NOT_INBOUND) & (Q(repeat_of__isnull=False) | Q(Exists(earlier)))


def cause_expression() -> Case:
    """Complaint cause from the reasons triage recorded (see escalation.triage, R12)."""
    reasons = Cast("triage_reasons", TextField())
    whens = []
    for key, _, needles in COMPLAINT_CAUSES:
        condition = Q()
        for needle in needles:
            condition |= Q(IContains(reasons, needle))
        whens.append(When(condition, then=Value(key)))
    return Case(*whens, default=Value(OTHER_CAUSE[0]))


def complaint_q(w: Week) -> Q:
    recovery = CommunicationMoment.objects.filter(practice=w.practice, key="service_recovery")
    return received_q(w) & (
        Q(boundary=WorkItem.Boundary.COMPLAINT) | Q(moment_id__in=recovery.values("pk"))
    )


def escalation_base(w: Week) -> QuerySet[Escalation]:
    qs = Escalation.objects.filter(
        practice=w.practice, created__gte=w.start, created__lt=w.end
    ).exclude(detected_by=Escalation.DetectedBy.QA)
    return qs.filter(item__language=w.language) if w.language else qs


def missed_escalation_items(w: Week) -> QuerySet[WorkItem]:
    flagged = QAReview.objects.filter(
        practice=w.practice, week=w.monday, missed_escalation=True
    ).values("item_id")
    by_qa = Escalation.objects.filter(
        practice=w.practice,
        detected_by=Escalation.DetectedBy.QA,
        created__gte=w.start,
        created__lt=w.end,
    ).values("item_id")
    # A QA review names the week it belongs to; an escalation opened by QA without one counts
    # in the week it was opened. Never both, so no item counts in two weeks.
    reviewed_elsewhere = QAReview.objects.filter(missed_escalation=True)
    unreviewed = by_qa.exclude(Exists(reviewed_elsewhere.filter(item=OuterRef("item"))))
    qs = WorkItem.objects.filter(practice=w.practice, pk__in=flagged.union(unreviewed))
    return qs.filter(language=w.language) if w.language else qs


def qa_base(w: Week) -> QuerySet[QAReview]:
    qs = QAReview.objects.filter(practice=w.practice, week=w.monday, status=QAReview.Status.DONE)
    return qs.filter(item__language=w.language) if w.language else qs


def appointment_base(w: Week) -> QuerySet[Appointment]:
    qs = Appointment.objects.filter(
        practice=w.practice, starts_at__gte=w.start, starts_at__lt=w.end
    )
    return qs.filter(patient__preferred_language=w.language) if w.language else qs


def rebooked_q() -> Q:
    later = Appointment.objects.filter(
        patient=OuterRef("patient"),
        starts_at__gt=OuterRef("starts_at"),
        created__gte=OuterRef("starts_at"),
        created__lt=OuterRef("starts_at") + REBOOK_WINDOW,
    ).exclude(status=Appointment.Status.CANCELLED)
    return Q(status=Appointment.Status.NO_SHOW) & Q(Exists(later))


def confirmed_q() -> Q:
    return Q(confirmation=Appointment.Confirmation.CONFIRMED, confirmed_at__lt=F("starts_at"))


def followed_by_repeat(item_ref: str = "pk") -> Q:
    """The item (`item_ref` of the outer row) was followed by a repeat contact."""
    prefix = "" if item_ref == "pk" else item_ref.removesuffix("_id") + "__"
    later = WorkItem.objects.filter(
        patient=OuterRef(f"{prefix}patient"),
        moment=OuterRef(f"{prefix}moment"),
        received_at__gt=OuterRef(f"{prefix}received_at"),
        received_at__lte=OuterRef(f"{prefix}received_at") + REPEAT_WINDOW,
    ).exclude(channel__in=NOT_INBOUND)
    linked = WorkItem.objects.filter(repeat_of=OuterRef(item_ref))
    return Q(Exists(later)) | Q(Exists(linked))


def template_messages(w: Week) -> QuerySet[Message]:
    qs = Message.objects.filter(
        practice=w.practice,
        direction=Message.Direction.OUTBOUND,
        template__isnull=False,
        is_automatic=False,
        status__in=SENT_STATUSES,
        created__lte=w.now,
        # Driven by the week's items (index on item, created), not by all of a practice's mail.
        item__in=items_of(w).filter(received_q(w)).values("pk"),
    )
    return qs


def items_of(w: Week) -> QuerySet[WorkItem]:
    qs = WorkItem.objects.filter(practice=w.practice)
    return qs.filter(language=w.language) if w.language else qs


def week_responses(
    w: Week,
    items: QuerySet[WorkItem] | None = None,
    moments: dict[int, tuple[str, int]] | None = None,
) -> list[Response]:
    """The first meaningful responses of the items received in the week (or some of them)."""
    chosen = (items if items is not None else items_of(w)).filter(received_q(w))
    if moments is None:
        moments = {
            pk: (key, target)
            for pk, key, target in CommunicationMoment.objects.filter(
                practice=w.practice
            ).values_list("pk", "key", "first_response_minutes")
        }
    return responses(chosen, hours=w.hours, now=w.now, moments=moments)


def complaint_communication_q(w: Week) -> Q:
    reasons = Cast("triage_reasons", TextField())
    condition = Q()
    for key, _, needles in COMPLAINT_CAUSES:
        if key in COMMUNICATION_CAUSES:
            for needle in needles:
                condition |= Q(IContains(reasons, needle))
    return complaint_q(w) & condition


# --------------------------------------------------------------------------------------
# The scorecard
# --------------------------------------------------------------------------------------


def compute_scorecard(
    *,
    practice: Practice,
    week: date,
    definitions_version: str = DEFINITIONS_VERSION,
    language: str | None = None,
    now: datetime | None = None,
) -> dict:
    """Every metric of one practice-week (optionally one language), with drill-down filters."""
    if definitions_version != DEFINITIONS_VERSION:
        raise ValueError(
            f"definitions {definitions_version!r} cannot be computed any more; "
            f"the current version is {DEFINITIONS_VERSION!r}"
        )
    w = week_of(practice=practice, week=week, now=now or timezone.now(), language=language)
    labels = _labels(practice)
    metrics = _item_metrics(w, labels)
    metrics["first_response"] = _first_response(w, labels)
    metrics.update(_escalation_metrics(w, labels))
    metrics["documentation_accuracy"] = _documentation(w, labels)
    metrics.update(_appointment_metrics(w, labels))
    metrics["template_effect"] = _template_effect(w, labels)
    return {
        "practice": practice.slug,
        "week": w.monday.isoformat(),
        "iso_week": iso_week(w.monday),
        "definitions_version": DEFINITIONS_VERSION,
        "language": w.language,
        "timezone": practice.timezone,
        "starts_at": w.start.isoformat(),
        "ends_at": w.end.isoformat(),
        "as_of": w.as_of.isoformat(),
        "complete": w.complete,
        "metrics": metrics,
    }


def _labels(practice: Practice) -> dict[str, dict]:
    moments = CommunicationMoment.objects.filter(practice=practice).values_list(
        "pk", "key", "name", "first_response_minutes"
    )
    return {
        "moment": {key: name.get("en") or key for _, key, name, _ in moments},
        # Breakdowns group by moment id (no join); ids become keys here.
        "moment_by_id": {pk: (key, target) for pk, key, _, target in moments},
        "language": dict(Language.choices),
        "channel": dict(WorkItem.Channel.choices),
        "route": dict(RouteKind.choices),
        "cause": {key: label for key, label, _ in COMPLAINT_CAUSES} | dict([OTHER_CAUSE]),
    }


def drill(w: Week, metric: str, **filters: str | None) -> dict[str, str]:
    """The drill-down filter behind one number: the metric plus its breakdown keys."""
    found = {"metric": metric}
    if w.language:
        found["language"] = w.language
    found.update({k: str(v) for k, v in filters.items() if v is not None})
    return found


def _grouped(
    qs: QuerySet, aggregates: dict, dims: dict[str, str], moments: dict[int, tuple[str, int]]
) -> tuple[dict, dict[str, list[dict]]]:
    """The aggregates per cell of every dimension at once (one query), then rolled up.

    Every row counted falls in exactly one cell (an item has one moment, one language and one
    channel), so the totals and each dimension's breakdown are exact sums of the cells' counts,
    distinct counts included. The database counts; Python only adds up the few cells.
    """
    paths = list(dims.values())
    cells = list(qs.order_by().values(*paths).annotate(**aggregates).order_by())
    totals = {name: sum(cell[name] for cell in cells) for name in aggregates}
    groups = {}
    for dim, path in dims.items():
        rolled: dict = {}
        for cell in cells:
            key = moments[cell[path]][0] if dim == "moment" else cell[path]
            row = rolled.setdefault(key, dict.fromkeys(aggregates, 0))
            for name in aggregates:
                row[name] += cell[name]
        ordered = sorted(rolled.items(), key=lambda pair: str(pair[0]))
        groups[dim] = [{"key": key, **row} for key, row in ordered]
    return totals, groups


def _by_route(qs: QuerySet, aggregates: dict) -> list[dict]:
    """Per route, grouped in the database: one item may have gone to two routes."""
    rows = qs.order_by().values("route__kind").annotate(**aggregates).order_by("route__kind")
    return [{"key": row.pop("route__kind"), **row} for row in rows]


def _entry(
    w: Week,
    name: str,
    totals: dict,
    groups: dict[str, list[dict]],
    labels: dict,
    of: str | None = None,
) -> dict:
    """One count metric: its value, optional denominator and rate, and its breakdowns."""

    def shape(row: dict, **keys: str) -> dict:
        out = {"value": row[name], "drill": drill(w, name, **keys)}
        if of:
            out |= {
                "of": row[of],
                "rate": rate(row[name], row[of]),
                "of_drill": drill(w, of, **keys),
            }
        return out

    entry = shape(totals)
    for dim, rows in groups.items():
        entry[f"by_{dim}"] = [
            {
                "key": row["key"],
                "label": labels[dim].get(row["key"], row["key"]),
                **shape(row, **{dim: row["key"]}),
            }
            for row in rows
            if row[name] or (of and row[of])
        ]
    return entry


def _item_metrics(w: Week, labels: dict) -> dict:
    cutoff = older_cutoff(w)
    resolved = Q(resolved_at__gte=w.start, resolved_at__lt=w.end)
    aggregates = {
        "received": Count("pk", filter=received_q(w)),
        "resolved": Count("pk", filter=resolved),
        "open_at_end": Count("pk", filter=open_q(w)),
        "open_older": Count(
            "pk", filter=open_q(w) & (Q(received_at__lt=cutoff) if cutoff else Q(pk__isnull=True))
        ),
        "unresolved_portal": Count("pk", filter=open_q(w) & Q(channel=WorkItem.Channel.PORTAL)),
        "inbound": Count("pk", filter=received_q(w) & ~Q(channel__in=NOT_INBOUND)),
        "repeat_contacts": Count("pk", filter=received_q(w) & repeat_q(w)),
        "complaints": Count("pk", filter=complaint_q(w)),
        "complaints_communication": Count("pk", filter=complaint_communication_q(w)),
    }
    population = items_of(w).filter(received_q(w) | resolved | open_q(w))
    totals, groups = _grouped(population, aggregates, ITEM_DIMS, labels["moment_by_id"])
    metrics = {
        name: _entry(w, name, totals, groups, labels)
        for name in ("received", "resolved", "open_at_end", "open_older", "unresolved_portal")
    }
    metrics["repeat_contacts"] = _entry(w, "repeat_contacts", totals, groups, labels, of="inbound")
    complaints = _entry(w, "complaints", totals, groups, labels)
    complaints["communication_related"] = {
        "value": totals["complaints_communication"],
        "drill": drill(w, "complaints_communication"),
    }
    by_cause = (
        items_of(w)
        .filter(complaint_q(w))
        .annotate(cause=cause_expression())
        .values("cause")
        .annotate(value=Count("pk"))
        .order_by("-value", "cause")
    )
    complaints["by_cause"] = [
        {
            "key": row["cause"],
            "label": labels["cause"][row["cause"]],
            "value": row["value"],
            "communication": row["cause"] in COMMUNICATION_CAUSES,
            "drill": drill(w, "complaints", cause=row["cause"]),
        }
        for row in by_cause
    ]
    metrics["complaints"] = complaints
    return metrics


def _first_response(w: Week, labels: dict) -> dict:
    rows = week_responses(w, moments=labels["moment_by_id"])
    entry = response_summary(rows) | {
        "drill": drill(w, "answered"),
        "within_drill": drill(w, "within_target"),
        "missed_drill": drill(w, "missed"),
        "awaiting_drill": drill(w, "awaiting"),
    }
    for dim in ("moment", "language", "channel"):
        groups: dict[str, list[Response]] = {}
        for r in rows:
            groups.setdefault(getattr(r, dim), []).append(r)
        entry[f"by_{dim}"] = [
            {
                "key": key,
                "label": labels[dim].get(key, key),
                **response_summary(groups[key]),
                "drill": drill(w, "answered", **{dim: key}),
                "within_drill": drill(w, "within_target", **{dim: key}),
                "missed_drill": drill(w, "missed", **{dim: key}),
            }
            for key in sorted(groups)
        ]
    targets = {r.moment: r.target for r in rows}
    for row in entry["by_moment"]:
        row["target_minutes"] = targets[row["key"]]
    return entry


VIA_ITEM_DIMS = {
    "moment": "item__moment_id",
    "language": "item__language",
    "channel": "item__channel",
}


def _escalation_metrics(w: Week, labels: dict) -> dict:
    judged = Q(judged_appropriate__isnull=False)
    aggregates = {
        "escalated": Count("item", distinct=True),
        "escalations_judged": Count("item", distinct=True, filter=judged),
        "escalations_appropriate": Count("item", distinct=True, filter=Q(judged_appropriate=True)),
        "escalations_unjudged": Count("item", distinct=True, filter=~judged),
    }
    totals, groups = _grouped(escalation_base(w), aggregates, VIA_ITEM_DIMS, labels["moment_by_id"])
    groups["route"] = _by_route(escalation_base(w), aggregates)
    accuracy = _entry(w, "escalations_appropriate", totals, groups, labels, of="escalations_judged")
    accuracy["unjudged"] = {
        "value": totals["escalations_unjudged"],
        "drill": drill(w, "escalations_unjudged"),
    }
    missed_totals, missed_groups = _grouped(
        missed_escalation_items(w),
        {"missed_escalations": Count("pk")},
        ITEM_DIMS,
        labels["moment_by_id"],
    )
    return {
        "escalated": _entry(w, "escalated", totals, groups, labels),
        "escalation_accuracy": accuracy,
        "missed_escalations": _entry(w, "missed_escalations", missed_totals, missed_groups, labels),
    }


def _documentation(w: Week, labels: dict) -> dict:
    aggregates = {
        "qa_passed": Count("pk", filter=Q(passed=True)),
        "qa_reviewed": Count("pk"),
    }
    totals, groups = _grouped(qa_base(w), aggregates, VIA_ITEM_DIMS, labels["moment_by_id"])
    return _entry(w, "qa_passed", totals, groups, labels, of="qa_reviewed")


def _appointment_metrics(w: Week, labels: dict) -> dict:
    due = ~Q(status=Appointment.Status.CANCELLED)
    aggregates = {
        "appointments_due": Count("pk", filter=due),
        "confirmed_before_start": Count("pk", filter=due & confirmed_q()),
        "no_shows": Count("pk", filter=Q(status=Appointment.Status.NO_SHOW)),
        "rebooked": Count("pk", filter=rebooked_q()),
    }
    dims = {"language": "patient__preferred_language"}
    totals, groups = _grouped(appointment_base(w), aggregates, dims, labels["moment_by_id"])
    return {
        "confirmation_completion": _entry(
            w, "confirmed_before_start", totals, groups, labels, of="appointments_due"
        ),
        "no_show_recovery": _entry(w, "rebooked", totals, groups, labels, of="no_shows"),
    }


def _template_effect(w: Week, labels: dict) -> list[dict]:
    fields = ("template__code", "template__language", "template__channel", "template__purpose")
    rows = (
        template_messages(w)
        .values("template", "template__moment__key", "template__version", *fields)
        .annotate(
            items=Count("item", distinct=True),
            repeated=Count("item", distinct=True, filter=followed_by_repeat("item_id")),
        )
        .order_by()
    )
    effect = []
    for row in rows:
        code, language, channel, purpose = (str(row[f]) for f in fields)
        moment = row["template__moment__key"]
        effect.append(
            {
                "template": code,
                "moment": moment,
                "language": language,
                "channel": channel,
                "purpose": purpose,
                "version": row["template__version"],
                "label": f"{labels['moment'].get(moment, moment)} · {language} · {channel} · "
                f"{purpose} v{row['template__version']}",
                "items": row["items"],
                "repeated": row["repeated"],
                "rate": rate(row["repeated"], row["items"]),
                "drill": drill(w, "template_items", template=code),
                "repeated_drill": drill(w, "template_repeats", template=code),
            }
        )
    return sorted(effect, key=lambda row: (-(row["rate"] or 0), -row["repeated"], row["label"]))
