"""The queue page: open items of the user's practices, most pressing first, refreshing itself."""

from datetime import datetime
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from escalation.selectors import sent_back_reasons
from queue_app import access, changes, lanes, selectors
from queue_app.audit import record_access
from queue_app.clock import zone
from queue_app.forms import SHOW_LABELS, QueueFilterForm
from queue_app.models import CommunicationMoment, Practice, WorkItem
from queue_app.services import shared
from queue_app.views.common import (
    PAGE_SIZE,
    AuthedRequest,
    CappedPaginator,
    SearchPaginator,
    query_without,
    request_roles,
)

PLACEHOLDER = UUID(int=0)
# What a row prints, and nothing else: the moment's playbook texts and the practice's
# settings are JSON that would be decoded 50 times per page for nothing.
ROW_FIELDS = (
    *(
        f.name
        for f in WorkItem._meta.concrete_fields
        if f.name not in ("patient_words", "triage_reasons", "verified_fields")
    ),
    "practice__name",
    "practice__timezone",
    "practice__name_policy",
    "patient__first_name",
    "patient__last_name",
    "moment__key",
    "moment__name",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
)


def moment_choices(practices: list[Practice]) -> list[tuple[str, str]]:
    labels: dict[str, str] = {}
    moments = CommunicationMoment.objects.filter(practice__in=practices)
    for key, name in moments.values_list("key", "name__en").distinct():
        labels.setdefault(key, name or lanes.label(key))
    return sorted(labels.items(), key=lambda pair: pair[1])


def short_age(received: datetime, now: datetime) -> str:
    minutes = max(0, int((now - received).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 24 * 60:
        return f"{minutes // 60}h {minutes % 60:02d}m"
    return f"{minutes // (24 * 60)}d {minutes // 60 % 24}h"


def local(moment: datetime | None, tz_name: str, fmt: str = "%a %H:%M") -> str:
    return moment.astimezone(zone(tz_name)).strftime(fmt) if moment else ""


def decorate(rows: list[WorkItem], user, now: datetime) -> None:
    """What each row shows, decided here so the template only prints (it is the hot loop)."""
    # One reverse() per page, not three per row.
    urls = {name: reverse(f"queue:{name}", args=[PLACEHOLDER]) for name in ("item", "item-claim")}
    for row in rows:
        code = str(row.code)
        row.url = urls["item"].replace(str(PLACEHOLDER), code)
        row.claim_url = urls["item-claim"].replace(str(PLACEHOLDER), code)
        row.display_name = (
            row.patient.display_name(row.practice.name_policy) if row.patient else "Unknown caller"
        )
        # The age and the deadline as of now; the browser keeps them current from the times
        # (static/js/ages.js), so the rows are not redrawn as the minutes pass.
        row.age_text = short_age(row.received_at, now)
        row.received_iso = row.received_at.isoformat()
        row.received_text = local(row.received_at, row.practice.timezone, "%a %d %b %H:%M")
        row.due_text = local(row.due_at, row.practice.timezone)
        row.follow_up_text = local(row.follow_up_at, row.practice.timezone)
        row.overdue = row.is_overdue(now) and row.status != WorkItem.Status.WAITING
        row.overdue_from = row.due_at.isoformat() if row.is_open and not row.overdue else ""
        row.taken = row.owner_id is not None and row.owner_id != user.pk
        row.mine = row.owner_id == user.pk
        row.owner_name = shared.holder_name(row.owner) if row.owner_id else ""
        row.sent_back = row.is_sent_back
    # Why the clinical team sent items back: one more query, only when a row is sent back.
    reasons = sent_back_reasons(item_ids=[row.pk for row in rows if row.sent_back])
    for row in rows:
        row.sent_back_reason = reasons.get(row.pk)


def filter_controls(form: QueueFilterForm) -> list[dict]:
    """The filter bar's controls. The selects are printed by the page itself: Django's select
    widget renders a template include per <option> (60 options: about a third of the page's
    render time); the same markup from a plain loop costs a tenth of it."""
    controls = []
    for field in form.visible_fields():
        control = {"field": field, "id": field.auto_id, "label": field.label, "options": None}
        choices = getattr(field.field, "choices", None)
        if choices is not None:
            current = str(field.value() or "")
            control["options"] = [
                (str(value), label, str(value) == current) for value, label in choices
            ]
        controls.append(control)
    return controls


def quick_filters(counts: dict[str, int], data: QueryDict, current: str) -> list[dict]:
    """The links above the list, each with how many items it would show."""
    base = query_without(data, "page", "show")
    return [
        {
            "label": label,
            "count": counts[show or "all"],
            "query": f"{base}&show={show}" if show else base,
            "current": show == current,
        }
        for show, label in SHOW_LABELS.items()
    ]


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    now = timezone.now()
    # The practices whose queue the user works, from the roles the navigation reads anyway
    # (the same grants as access.practices_for, one query for both instead of two).
    worked = request_roles(request).practice_ids(access.WORK)
    marker = changes.queue_marker(practice_ids=worked)
    polled = request.htmx and request.headers.get("X-Background-Poll") == "1"
    if polled and request.headers.get("If-None-Match") == marker:
        # Nothing changed in these practices: htmx swaps nothing on a 204, and nothing was
        # shown, so there is no access to record.
        return with_marker(HttpResponse(status=204), marker)
    practices = list(Practice.objects.filter(pk__in=worked).order_by("name")) if worked else []
    if not practices:
        return render(request, "queue_app/queue.html", {"practices": []})
    data = request.GET.copy()
    if "block" not in data:
        # The queue opens on the part of the day it is in the (selected) practice.
        chosen = next((p for p in practices if p.slug == data.get("practice")), practices[0])
        data["block"] = selectors.rhythm_block_now(practice=chosen, now=now)
    # An HTMX refresh (the 15-second poll, a filter change) does not print the filter bar:
    # the moments are only needed then to validate a chosen one.
    needs_moments = not request.htmx or bool(data.get("moment"))
    moments = moment_choices(practices) if needs_moments else []
    form = QueueFilterForm(data, practices=[(p.slug, p.name) for p in practices], moments=moments)
    filters = form.filters()
    items = selectors.queue_items(user=request.user, filters=filters, now=now, practices=practices)
    counts = selectors.queue_counts(
        user=request.user, filters=filters, now=now, practices=practices
    )
    page_number = form.cleaned_data.get("page") if form.is_valid() else 1
    # Without a name search the list is exactly what its quick filter counted: no second count.
    # A name search also finds resolved items, so it counts its own matches (unordered).
    rows_query = items.only(*ROW_FIELDS)
    if filters.q:
        paginator = SearchPaginator(rows_query, PAGE_SIZE)
    else:
        paginator = CappedPaginator(rows_query, PAGE_SIZE, count=counts[filters.show or "all"])
    page = paginator.get_page(page_number)
    rows = list(page.object_list)
    decorate(rows, request.user, now)
    record_access(
        request,
        action="queue_view",
        practice=practices[0] if len(practices) == 1 else None,
        patient_ids=[row.patient_id for row in rows],
    )
    context = {
        "practices": practices,
        "form": form,
        "filter_controls": filter_controls(form) if not request.htmx else [],
        "page": page,
        "rows": rows,
        "now": now,
        # Links and polls carry the preselected block, so a refresh keeps the assistant's place.
        "filter_query": query_without(data, "page"),
        "quick_filters": quick_filters(counts, data, filters.show),
        "show": filters.show,
        "marker": marker,
    }
    if request.htmx:
        return with_marker(render(request, "queue_app/queue.html#queue-results", context), marker)
    return render(request, "queue_app/queue.html", context)


def with_marker(response: HttpResponse, marker: str) -> HttpResponse:
    # The rows carry their marker to the next poll (hx-headers); the header says it over HTTP.
    response["ETag"] = marker
    return response
