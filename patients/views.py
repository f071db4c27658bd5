"""The patient search and the patient's page. Both audited; both read only what the user's
practices allow (access.get_patient_for_user, patient_search.readable_practices)."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from patients.forms import SearchForm
from patients.selectors import attach_recent_items
from patients.timeline import patient_timeline
from queue_app import access, patient_search
from queue_app.audit import record_access
from queue_app.models import Consent
from queue_app.search_terms import parse_query
from queue_app.views.common import (
    COUNT_CAP,
    PAGE_SIZE,
    AuthedRequest,
    SearchPaginator,
)

SEARCH_PAGE_SIZE = 20


class TimelinePaginator(Paginator):
    """Pages the newest lines of a record, read as far as the page asked for and one line
    beyond: that line makes the next page, and the total ("Page 2 of 7") is known only once
    the read reaches the end. Like the house's CappedPaginator, it pages the newest COUNT_CAP
    lines at most."""

    def __init__(self, entries: list, *, read: int) -> None:
        super().__init__(entries, PAGE_SIZE)
        self.capped = len(entries) >= read

    @staticmethod
    def lines_for(number: str | None) -> int:
        """How many of the newest lines page `number` needs: those before it, its own, and
        one more. Below 1 Django's paginator shows the last page, so all of them."""
        try:
            wanted = int(number) * PAGE_SIZE
        except (TypeError, ValueError):
            wanted = PAGE_SIZE  # not a number: the first page
        return min(wanted if wanted > 0 else COUNT_CAP, COUNT_CAP) + 1


@login_required
@require_http_methods(["GET", "POST"])
def search(request: AuthedRequest) -> HttpResponse:
    practices = list(patient_search.readable_practices(request.user))
    form = SearchForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "practices": practices}
    if form.is_valid():
        terms = parse_query(form.cleaned_data["q"], region=patient_search.phone_region(practices))
        patients = patient_search.patients_matching(terms, [p.pk for p in practices])
        page = SearchPaginator(patients, SEARCH_PAGE_SIZE).get_page(form.cleaned_data["page"])
        rows = list(page.object_list)
        attach_recent_items(rows)
        record_access(
            request,
            action="patient_search",
            practice=practices[0] if len(practices) == 1 else None,
            patient_ids=[row.pk for row in rows],
        )
        context.update(terms=terms, page=page, rows=rows, searched=True)
    return render(request, "patients/search.html", context)


@login_required
@require_GET
def patient_page(request: AuthedRequest, code: UUID) -> HttpResponse:
    patient = access.get_patient_for_user(request.user, code)
    number = request.GET.get("page")
    read = TimelinePaginator.lines_for(number)
    record = patient_timeline(patient=patient, lines=read)
    page = TimelinePaginator(record.entries, read=read).get_page(number)
    record_access(
        request,
        action="patient_view",
        practice=patient.practice,
        patient_ids=[patient.pk],
        obj=patient,
    )
    context = {
        "patient": patient,
        "practice": patient.practice,
        "tz": patient.practice.timezone,
        "display_name": patient.display_name(patient.practice.name_policy),
        "open_items": record.open_items,
        "consents": [
            {"channel": label, "consent": record.consents.get(channel)}
            for channel, label in Consent.Channel.choices
        ],
        "page": page,
        "entries": page.object_list,
    }
    return render(request, "patients/patient.html", context)
