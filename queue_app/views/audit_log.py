"""The audit log for managers: who saw or changed which patients' data, with a CSV export."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from queue_app import access
from queue_app.audit import record_access
from queue_app.forms import AuditFilterForm
from queue_app.models import AuditEvent, Practice
from queue_app.views.common import PAGE_SIZE, AuthedRequest, query_without

CSV_COLUMNS = [
    "created",
    "practice",
    "actor",
    "service",
    "action",
    "route",
    "object_type",
    "object_code",
    "patient_ids",
    "ip",
]


def filtered_events(
    request: AuthedRequest,
) -> tuple[AuditFilterForm, QuerySet[AuditEvent], Practice | None]:
    practices = list(access.practices_for(request.user, access.MANAGE).order_by("name"))
    if not practices:
        raise PermissionDenied
    form = AuditFilterForm(request.GET, practices=[(p.slug, p.name) for p in practices])
    data = form.cleaned_data if form.is_valid() else {}
    chosen = next((p for p in practices if p.slug == data.get("practice")), None)
    events = AuditEvent.objects.filter(practice__in=[chosen] if chosen else practices)
    if data.get("date_from"):
        events = events.filter(created__date__gte=data["date_from"])
    if data.get("date_to"):
        events = events.filter(created__date__lte=data["date_to"])
    return form, events.select_related("actor", "practice").order_by("-created", "-id"), chosen


@login_required
@require_GET
def audit_log(request: AuthedRequest) -> HttpResponse:
    form, events, chosen = filtered_events(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(request, action="audit_log_view", practice=chosen)
    context = {"form": form, "page": page, "filter_query": query_without(request.GET, "page")}
    return render(request, "queue_app/audit_log.html", context)


class Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def audit_log_export(request: AuthedRequest) -> StreamingHttpResponse:
    _, events, chosen = filtered_events(request)
    # The export is itself an access to the trail: it is recorded before a byte leaves.
    record_access(request, action="audit_log_export", practice=chosen)
    writer = csv.writer(Echo())

    def rows():
        yield writer.writerow(CSV_COLUMNS)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    event.created.isoformat(),
                    event.practice.slug if event.practice else "",
                    event.actor.username if event.actor else "",
                    event.service,
                    event.action,
                    event.route,
                    event.object_type,
                    event.object_code,
                    " ".join(str(pid) for pid in event.patient_ids),
                    event.ip or "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response
