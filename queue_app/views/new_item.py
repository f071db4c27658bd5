"""The new-item form: staff enter a front-desk call, a walk-in, a fax or a hand-off."""

from uuid import uuid4

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from queue_app import access
from queue_app.audit import record_access
from queue_app.intake_forms import StaffItemForm
from queue_app.models import Patient, Practice, WorkItem
from queue_app.patient_search import lookup_patients
from queue_app.services import staff_intake
from queue_app.services.shared import ActionRefused
from queue_app.views.common import AuthedRequest
from queue_app.views.item import render_panel

PATIENT_FIELDS = ("first_name", "last_name", "date_of_birth", "phone", "preferred_language")
CONSENT_FIELD = "sms_consent"


LOOKUP_NOTICE = "Choose the patient below, or enter a new one."


def is_lookup(data) -> bool:
    """Only a lookup typed: no patient chosen and none of a new patient's fields filled."""
    typed = [data.get(name, "").strip() for name in ("patient", *PATIENT_FIELDS[:4])]
    return bool(data.get("q", "").strip()) and not any(typed)


def worked_practices(request: AuthedRequest) -> list[Practice]:
    """Practices whose queue this person works (assistants, managers); nobody else enters items."""
    practices = list(access.practices_for(request.user, access.WORK).order_by("name"))
    if not practices:
        raise PermissionDenied
    return practices


def found(request: AuthedRequest, practices: list[Practice], query: str) -> list[Patient]:
    """The lookup's matches, audited: the list shows names and dates of birth."""
    patients = lookup_patients(practices=practices, query=query)
    if patients:
        record_access(
            request,
            action="patient_lookup",
            practice=practices[0] if len(practices) == 1 else None,
            patient_ids=[p.pk for p in patients],
        )
    return patients


def render_form(request: AuthedRequest, form: StaffItemForm, practices: list[Practice], **extra):
    query = (form.data.get("q") if form.is_bound else form.initial.get("q")) or ""
    chosen = (form.data.get("patient") if form.is_bound else "") or ""
    candidates = found(request, practices, query) if query.strip() else []
    lookup = "notice" in extra
    form.focus(None if lookup and candidates else "q" if lookup else "channel")
    context = {
        "form": form,
        "single_practice": len(practices) == 1,
        "candidates": candidates,
        # After a lookup the keyboard lands on the first match.
        "focus_candidates": lookup and bool(candidates),
        "searched": bool(query.strip()),
        "chosen": chosen,
        "patient_fields": [form[name] for name in PATIENT_FIELDS],
        "consent_field": form[CONSENT_FIELD],
        **extra,
    }
    template = "queue_app/new_item.html"
    return render(request, f"{template}#new-item-form" if request.htmx else template, context)


@login_required
@require_http_methods(["GET", "POST"])
def new_item(request: AuthedRequest) -> HttpResponse:
    practices = worked_practices(request)
    if request.method == "GET":
        initial = {**request.GET.dict(), "token": uuid4()}
        return render_form(request, StaffItemForm(initial=initial, practices=practices), practices)
    if is_lookup(request.POST):
        # Enter in the lookup field: list the matches, keep what was typed, judge nothing yet.
        form = StaffItemForm(initial=request.POST.dict(), practices=practices)
        return render_form(request, form, practices, notice=LOOKUP_NOTICE)
    form = StaffItemForm(request.POST, practices=practices)
    if not form.is_valid():
        return render_form(request, form, practices, error="Check the fields marked below.")
    try:
        item, created = enter_item(request, form)
    except staff_intake.PatientOnFile as exc:
        form.add_error("first_name", str(exc))
        return render_form(request, form, practices, error="Check the fields marked below.")
    except ActionRefused as exc:
        return render_form(request, form, practices, error=str(exc))
    notice = (
        f"New item entered: {item.moment.label()}, triaged {item.get_boundary_display().lower()}."
        if created
        else "This form was already sent: here is the item it opened."
    )
    if request.htmx:
        return render_panel(request, item, notice=notice)
    messages.success(request, notice)
    return redirect("queue:item", code=item.code)


def enter_item(request: AuthedRequest, form: StaffItemForm) -> tuple[WorkItem, bool]:
    """The service call for a valid form, audited when it opened an item."""
    data = form.cleaned_data
    item, created = staff_intake.create_staff_item(
        practice=form.target_practice(),
        patient=form.chosen or form.new_patient,
        channel=data["channel"],
        words=data["words"],
        actor=request.user,
        token=data["token"],
        now=timezone.now(),
    )
    if created:
        record_access(
            request,
            action="item_create",
            practice=item.practice,
            patient_ids=[item.patient_id],
            obj=item,
        )
    return item, created


@login_required
@require_GET
def lookup(request: AuthedRequest) -> HttpResponse:
    """The form's patient list alone, for the lookup field (HTMX)."""
    practices = worked_practices(request)
    query = request.GET.get("q", "")
    context = {
        "candidates": found(request, practices, query) if query.strip() else [],
        "searched": bool(query.strip()),
        "chosen": "",
    }
    return render(request, "queue_app/new_item.html#patient-candidates", context)
