"""The weekly scorecard's numbers: the one place every metric is defined and computed.

Every count is a database aggregate (conditional `Count`s, grouped by moment, language and
channel). The only per-item data fetched is the (received, first response) pair of the week's
items, because business minutes depend on the practice's calendar; the median, 90th
percentile and share within target are computed from those pairs. The page, the CSV export,
the `scorecard` command and the stored snapshots all read `compute_scorecard`.

Weeks run Monday 00:00 to the next Monday 00:00 on the practice's wall clock
(`reports.weeks`); each query is compiled once per process and bound to each week's values
(`reports.compiled`).

Over 600 lines on purpose: every definition of the design card's scorecard is here and only
here, so a changed definition is one diff and one definitions version of the snapshots.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta

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
from messaging.models import Survey
from notes.models import Note, QAReview
from queue_app.models import (
    Appointment,
    CommunicationMoment,
    Language,
    Message,
    Practice,
    Promise,
    WorkItem,
)
from reports.compiled import fetch, fetch_dicts
from reports.definitions import DEFINITIONS, DEFINITIONS_VERSION
from reports.response_times import (
    RESPONSE_STATES,
    SENT_STATUSES,
    Response,
    from_pairs,
    pairs_query,
    rate,
    response_summary,
    responses,
)
from reports.weeks import Week, iso_week, week_of

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
    """Items received before this instant are older than two business days at `as_of`."""
    return w.cutoff


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


def overridden_note_items(w: Week) -> QuerySet[WorkItem]:
    """Items with a note saved during the week over the checker's refusal, with a reason."""
    overridden = Note.objects.filter(
        item__practice=w.practice, created__gte=w.start, created__lt=w.end
    ).exclude(override_reason="")
    qs = WorkItem.objects.filter(practice=w.practice, pk__in=overridden.values("item_id"))
    return qs.filter(language=w.language) if w.language else qs


def promise_base(w: Week) -> QuerySet[Promise]:
    """Promises whose time fell in the week, up to the instant it is read at: each is kept
    (the assistant acted on its item before its time) or broken by now."""
    qs = Promise.objects.filter(item__practice=w.practice, due_at__gte=w.start, due_at__lt=w.as_of)
    return qs.filter(item__language=w.language) if w.language else qs


PROMISE_CONDITIONS: dict[str, Q] = {
    "promises_due": Q(),
    "promises_kept": Q(kept_at__isnull=False),
    "promises_broken": Q(kept_at__isnull=True),
}


def survey_base(w: Week) -> QuerySet[Survey]:
    """Follow-up questions that went to the patient about items resolved in the week."""
    qs = Survey.objects.filter(
        practice=w.practice,
        status=Survey.Status.ASKED,
        question__status__in=SENT_STATUSES,
        item__resolved_at__gte=w.start,
        item__resolved_at__lt=w.end,
    )
    return qs.filter(item__language=w.language) if w.language else qs


SURVEY_CONDITIONS: dict[str, Q] = {
    "surveys_asked": Q(),
    "surveys_answered": ~Q(answer=""),
    "surveys_yes": Q(answer=Survey.Answer.YES),
    "surveys_no": Q(answer=Survey.Answer.NO),
}


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
    labels = _labels(w)
    metrics = _item_metrics(w, labels)
    metrics["first_response"] = _first_response(w, labels)
    metrics.update(_escalation_metrics(w, labels))
    metrics["documentation_accuracy"] = _documentation(w, labels)
    metrics["note_overrides"] = _note_overrides(w, labels)
    metrics.update(_promise_metrics(w, labels))
    metrics.update(_appointment_metrics(w, labels))
    metrics["template_effect"] = _template_effect(w, labels)
    metrics.update(_survey_metrics(w, labels, metrics["template_effect"]))
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


def _moment_rows(w: Week) -> QuerySet:
    return CommunicationMoment.objects.filter(practice=w.practice).values_list(
        "pk", "key", "name", "first_response_minutes"
    )


def _labels(w: Week) -> dict[str, dict]:
    _, moments = fetch(_moment_rows, w)
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


def _cells(qs: QuerySet, aggregates: dict, dims: dict[str, str]) -> QuerySet:
    """The aggregates per cell of every dimension at once (one query)."""
    return qs.order_by().values(*dims.values()).annotate(**aggregates).order_by()


def _grouped(
    build: Callable[[Week], QuerySet],
    w: Week,
    dims: dict[str, str],
    moments: dict[int, tuple[str, int]],
) -> tuple[dict, dict[str, list[dict]]]:
    """The cells of `build(w)` (see `_cells`), rolled up into totals and breakdowns.

    Every row counted falls in exactly one cell (an item has one moment, one language and one
    channel), so the totals and each dimension's breakdown are exact sums of the cells' counts,
    distinct counts included. The database counts; Python only adds up the few cells.
    """
    names, rows = fetch(build, w)
    cells = [dict(zip(names, row, strict=True)) for row in rows]
    aggregates = [name for name in names if name not in dims.values()]
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


def _item_cells(w: Week) -> QuerySet:
    resolved = Q(resolved_at__gte=w.start, resolved_at__lt=w.end)
    aggregates = {
        "received": Count("pk", filter=received_q(w)),
        "resolved": Count("pk", filter=resolved),
        "open_at_end": Count("pk", filter=open_q(w)),
        "open_older": Count(
            "pk",
            filter=open_q(w) & (Q(received_at__lt=w.cutoff) if w.cutoff else Q(pk__isnull=True)),
        ),
        "unresolved_portal": Count("pk", filter=open_q(w) & Q(channel=WorkItem.Channel.PORTAL)),
        "inbound": Count("pk", filter=received_q(w) & ~Q(channel__in=NOT_INBOUND)),
        "repeat_contacts": Count("pk", filter=received_q(w) & repeat_q(w)),
        "complaints": Count("pk", filter=complaint_q(w)),
        "complaints_communication": Count("pk", filter=complaint_communication_q(w)),
    }
    population = items_of(w).filter(received_q(w) | resolved | open_q(w))
    return _cells(population, aggregates, ITEM_DIMS)


def _complaint_causes(w: Week) -> QuerySet:
    return (
        items_of(w)
        .filter(complaint_q(w))
        .annotate(cause=cause_expression())
        .values("cause")
        .annotate(value=Count("pk"))
        .order_by("-value", "cause")
    )


def _item_metrics(w: Week, labels: dict) -> dict:
    totals, groups = _grouped(_item_cells, w, ITEM_DIMS, labels["moment_by_id"])
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
    complaints["by_cause"] = [
        {
            "key": row["cause"],
            "label": labels["cause"][row["cause"]],
            "value": row["value"],
            "communication": row["cause"] in COMMUNICATION_CAUSES,
            "drill": drill(w, "complaints", cause=row["cause"]),
        }
        for row in fetch_dicts(_complaint_causes, w)
    ]
    metrics["complaints"] = complaints
    return metrics


def _week_pairs(w: Week) -> QuerySet:
    return pairs_query(items_of(w).filter(received_q(w)), now=w.now)


def _first_response(w: Week, labels: dict) -> dict:
    _, pairs = fetch(_week_pairs, w)  # columns: PAIR_FIELDS
    rows = from_pairs(pairs, hours=w.hours, now=w.now, moments=labels["moment_by_id"])
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
ROUTE_DIMS = {"route": "route__kind"}


def _escalation_aggregates() -> dict:
    judged = Q(judged_appropriate__isnull=False)
    return {
        "escalated": Count("item", distinct=True),
        "escalations_judged": Count("item", distinct=True, filter=judged),
        "escalations_appropriate": Count("item", distinct=True, filter=Q(judged_appropriate=True)),
        "escalations_unjudged": Count("item", distinct=True, filter=~judged),
    }


def _escalation_cells(w: Week) -> QuerySet:
    return _cells(escalation_base(w), _escalation_aggregates(), VIA_ITEM_DIMS)


def _escalation_routes(w: Week) -> QuerySet:
    """Per route, grouped in the database: one item may have gone to two routes."""
    return _cells(escalation_base(w), _escalation_aggregates(), ROUTE_DIMS).order_by("route__kind")


def _missed_cells(w: Week) -> QuerySet:
    return _cells(missed_escalation_items(w), {"missed_escalations": Count("pk")}, ITEM_DIMS)


def _escalation_metrics(w: Week, labels: dict) -> dict:
    totals, groups = _grouped(_escalation_cells, w, VIA_ITEM_DIMS, labels["moment_by_id"])
    groups["route"] = [
        {"key": row.pop("route__kind"), **row} for row in fetch_dicts(_escalation_routes, w)
    ]
    accuracy = _entry(w, "escalations_appropriate", totals, groups, labels, of="escalations_judged")
    accuracy["unjudged"] = {
        "value": totals["escalations_unjudged"],
        "drill": drill(w, "escalations_unjudged"),
    }
    missed_totals, missed_groups = _grouped(_missed_cells, w, ITEM_DIMS, labels["moment_by_id"])
    return {
        "escalated": _entry(w, "escalated", totals, groups, labels),
        "escalation_accuracy": accuracy,
        "missed_escalations": _entry(w, "missed_escalations", missed_totals, missed_groups, labels),
    }


def _qa_cells(w: Week) -> QuerySet:
    aggregates = {
        "qa_passed": Count("pk", filter=Q(passed=True)),
        "qa_reviewed": Count("pk"),
    }
    return _cells(qa_base(w), aggregates, VIA_ITEM_DIMS)


def _documentation(w: Week, labels: dict) -> dict:
    totals, groups = _grouped(_qa_cells, w, VIA_ITEM_DIMS, labels["moment_by_id"])
    return _entry(w, "qa_passed", totals, groups, labels, of="qa_reviewed")


def _override_cells(w: Week) -> QuerySet:
    return _cells(overridden_note_items(w), {"note_overrides": Count("pk")}, ITEM_DIMS)


def _note_overrides(w: Week, labels: dict) -> dict:
    totals, groups = _grouped(_override_cells, w, ITEM_DIMS, labels["moment_by_id"])
    return _entry(w, "note_overrides", totals, groups, labels)


def _promise_cells(w: Week) -> QuerySet:
    aggregates = {name: Count("pk", filter=q) for name, q in PROMISE_CONDITIONS.items()}
    return _cells(promise_base(w), aggregates, VIA_ITEM_DIMS)


def _promise_metrics(w: Week, labels: dict) -> dict:
    totals, groups = _grouped(_promise_cells, w, VIA_ITEM_DIMS, labels["moment_by_id"])
    kept = _entry(w, "promises_kept", totals, groups, labels, of="promises_due")
    broken = _entry(w, "promises_broken", totals, groups, labels)
    # Beside each kept rate, its broken count (the page's table reads one row).
    for dim in VIA_ITEM_DIMS:
        by_key = {row["key"]: row for row in broken[f"by_{dim}"]}
        for row in kept[f"by_{dim}"]:
            row["broken"] = by_key.get(row["key"], {"value": 0, "drill": None})
    return {"promises_kept": kept, "promises_broken": broken}


APPOINTMENT_DIMS = {"language": "patient__preferred_language"}


def _appointment_cells(w: Week) -> QuerySet:
    due = ~Q(status=Appointment.Status.CANCELLED)
    aggregates = {
        "appointments_due": Count("pk", filter=due),
        "confirmed_before_start": Count("pk", filter=due & confirmed_q()),
        "no_shows": Count("pk", filter=Q(status=Appointment.Status.NO_SHOW)),
        "rebooked": Count("pk", filter=rebooked_q()),
    }
    return _cells(appointment_base(w), aggregates, APPOINTMENT_DIMS)


def _appointment_metrics(w: Week, labels: dict) -> dict:
    totals, groups = _grouped(_appointment_cells, w, APPOINTMENT_DIMS, labels["moment_by_id"])
    return {
        "confirmation_completion": _entry(
            w, "confirmed_before_start", totals, groups, labels, of="appointments_due"
        ),
        "no_show_recovery": _entry(w, "rebooked", totals, groups, labels, of="no_shows"),
    }


TEMPLATE_FIELDS = ("template__code", "template__language", "template__channel", "template__purpose")


def _template_rows(w: Week) -> QuerySet:
    return (
        template_messages(w)
        .values("template", "template__moment__key", "template__version", *TEMPLATE_FIELDS)
        .annotate(
            items=Count("item", distinct=True),
            repeated=Count("item", distinct=True, filter=followed_by_repeat("item_id")),
        )
        .order_by()
    )


def _template_version(row: dict, labels: dict) -> dict:
    """Which template version a grouped row is about, and its label on the page."""
    code, language, channel, purpose = (str(row[f]) for f in TEMPLATE_FIELDS)
    moment = row["template__moment__key"]
    return {
        "template": code,
        "moment": moment,
        "language": language,
        "channel": channel,
        "purpose": purpose,
        "version": row["template__version"],
        "label": f"{labels['moment'].get(moment, moment)} · {language} · {channel} · "
        f"{purpose} v{row['template__version']}",
    }


def _template_effect(w: Week, labels: dict) -> list[dict]:
    effect = []
    for row in fetch_dicts(_template_rows, w):
        code = str(row["template__code"])
        effect.append(
            {
                **_template_version(row, labels),
                "items": row["items"],
                "repeated": row["repeated"],
                "rate": rate(row["repeated"], row["items"]),
                "drill": drill(w, "template_items", template=code),
                "repeated_drill": drill(w, "template_repeats", template=code),
            }
        )
    return sorted(effect, key=lambda row: (-(row["rate"] or 0), -row["repeated"], row["label"]))


def _survey_cells(w: Week) -> QuerySet:
    aggregates = {name: Count("pk", filter=q) for name, q in SURVEY_CONDITIONS.items()}
    return _cells(survey_base(w), aggregates, VIA_ITEM_DIMS)


def _survey_template_rows(w: Week) -> QuerySet:
    return (
        survey_base(w)
        .filter(template__isnull=False)
        .values("template", "template__moment__key", "template__version", *TEMPLATE_FIELDS)
        .annotate(**{name: Count("pk", filter=q) for name, q in SURVEY_CONDITIONS.items()})
        .order_by()
    )


def _survey_metrics(w: Week, labels: dict, effect: list[dict]) -> dict:
    """Yes of answered, with the number asked, overall and per moment, language and channel;
    and per template version, beside that version's repeat-contact rate."""
    totals, groups = _grouped(_survey_cells, w, VIA_ITEM_DIMS, labels["moment_by_id"])
    knew = _entry(w, "surveys_yes", totals, groups, labels, of="surveys_answered")
    asked = _entry(w, "surveys_asked", totals, groups, labels)
    knew["asked"] = {"value": asked["value"], "drill": asked["drill"]}
    for dim in VIA_ITEM_DIMS:
        # Every cell asked in, answered or not yet: the page shows "0 of 0 answered, 3 asked".
        answered = {row["key"]: row for row in knew[f"by_{dim}"]}
        knew[f"by_{dim}"] = [
            answered.get(row["key"], {"value": 0, "of": 0, "rate": None, "drill": None})
            | {"key": row["key"], "label": row["label"], "asked": row["value"]}
            for row in asked[f"by_{dim}"]
        ]
    repeats = {row["template"]: row for row in effect}
    by_template = []
    for row in fetch_dicts(_survey_template_rows, w):
        version = _template_version(row, labels)
        code = version["template"]
        repeat = repeats.get(code, {})
        by_template.append(
            version
            | {
                "asked": row["surveys_asked"],
                "answered": row["surveys_answered"],
                "yes": row["surveys_yes"],
                "rate": rate(row["surveys_yes"], row["surveys_answered"]),
                "drill": drill(w, "surveys_yes", template=code),
                "answered_drill": drill(w, "surveys_answered", template=code),
                "repeat_rate": repeat.get("rate"),
                "repeat_items": repeat.get("items", 0),
            }
        )
    by_template.sort(key=lambda row: (row["label"], row["version"]))
    return {"knew_next_step": knew, "knew_next_step_by_template": by_template}
