"""Time to first meaningful response: the only per-item data the scorecard reads.

Business minutes depend on the practice's calendar (hours, holidays, DST), so the week's
(received, first response) pairs are fetched and the statistics computed from them here.
"""

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import DateTimeField, Min, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from queue_app.clock import BusinessHours, add_business_minutes, business_minutes_between
from queue_app.models import CallAttempt, Message, WorkItem

SENT_STATUSES = (Message.Status.SENT, Message.Status.DELIVERED)


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass(frozen=True)
class Response:
    item_id: int
    moment: str
    language: str
    channel: str
    target: int
    minutes: float | None
    # within / late (answered after the target) / overdue (unanswered, past target) / awaiting
    state: str


RESPONSE_STATES = {
    "answered": ("within", "late"),
    "within_target": ("within",),
    "missed": ("late", "overdue"),
    "awaiting": ("awaiting",),
}


def responses(
    items: QuerySet[WorkItem],
    *,
    hours: BusinessHours,
    now: datetime,
    moments: dict[int, tuple[str, int]],
) -> list[Response]:
    """Each item with its first meaningful response up to `now`, in business minutes.

    `moments` maps a moment's id to its key and first-response target (read once per page).
    """
    sent = (
        Message.objects.filter(
            item=OuterRef("pk"),
            direction=Message.Direction.OUTBOUND,
            template__isnull=False,
            is_automatic=False,
            status__in=SENT_STATUSES,
            created__lte=now,
        )
        .values("item")
        # A message held for quiet hours leaves when its send_after comes, not when queued.
        .annotate(at=Min(Greatest("created", Coalesce("send_after", "created"))))
        .values("at")
    )
    reached = (
        CallAttempt.objects.filter(
            item=OuterRef("pk"), outcome=CallAttempt.Outcome.REACHED, attempted_at__lte=now
        )
        .values("item")
        .annotate(at=Min("attempted_at"))
        .values("at")
    )
    pairs = (
        items.annotate(
            message_at=Subquery(sent, output_field=DateTimeField()),
            call_at=Subquery(reached, output_field=DateTimeField()),
        )
        .order_by("received_at", "pk")
        .values_list(
            "pk",
            "received_at",
            "message_at",
            "call_at",
            "moment_id",
            "language",
            "channel",
        )
    )
    return [
        _response((pk, received, sent_at, call_at, *moments[moment], language, channel), hours, now)
        for pk, received, sent_at, call_at, moment, language, channel in pairs
    ]


def _response(row: tuple, hours: BusinessHours, now: datetime) -> Response:
    pk, received, message_at, call_at, moment, target, language, channel = row
    first = min((t for t in (message_at, call_at) if t is not None), default=None)
    if first is not None:
        minutes = round(business_minutes_between(received, first, hours), 1)
        state = "within" if minutes <= target else "late"
        return Response(pk, moment, language, channel, target, minutes, state)
    try:
        overdue = add_business_minutes(received, target, hours) < now
    except ValueError:  # a practice without any business hours: its clock never runs
        overdue = False
    return Response(
        pk, moment, language, channel, target, None, "overdue" if overdue else "awaiting"
    )


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least `share` of values ≤ it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def response_summary(rows: Iterable[Response]) -> dict:
    rows = list(rows)
    minutes = [r.minutes for r in rows if r.minutes is not None]
    within = sum(r.state == "within" for r in rows)
    missed = sum(r.state in ("late", "overdue") for r in rows)
    return {
        "items": len(rows),
        "answered": len(minutes),
        "within_target": within,
        "missed": missed,
        "awaiting": sum(r.state == "awaiting" for r in rows),
        "median_minutes": round(statistics.median(minutes), 1) if minutes else None,
        "p90_minutes": percentile(minutes, 0.9),
        "share_within_target": rate(within, within + missed),
    }
