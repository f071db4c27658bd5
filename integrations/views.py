"""Pages that bring a clinic's patients and appointments in (FHIR, CSV) and its work out (FHIR).

Importing writes patient data: practice admins only (PLAYBOOK). Exporting reads it: managers
and admins (MANAGE). The CSV upload waits between steps as a file named by a token kept in the
session, so no patient data and no file name ever appears in a URL.
"""

from datetime import date, timedelta
from uuid import UUID

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling

from integrations import csv_import, import_runs, limits
from integrations.csv_import import FIELDS, CsvFileError
from integrations.fhir_export import export_fhir_bundle
from integrations.fhir_import import import_fhir_bundle
from queue_app import access
from queue_app.audit import record_access
from queue_app.models import Practice
from queue_app.views.common import practice_home

SESSION_KEY = "csv_import"
MAX_EXPORT_DAYS = 366
PREVIEW_PAGE_SIZE = 50


class FhirUploadForm(forms.Form):
    bundle = forms.FileField(label="FHIR R4 Bundle (JSON)")

    def clean_bundle(self):
        upload = self.cleaned_data["bundle"]
        error = limits.size_error(upload.size, limits.fhir_max_bytes())
        if error:
            raise forms.ValidationError(error[0].upper() + error[1:])
        return upload


class CsvUploadForm(forms.Form):
    file = forms.FileField(label="CSV file of patients and appointments")


class ExportForm(forms.Form):
    since = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            raise forms.ValidationError("The end date is before the start date.")
        if since and until and (until - since).days >= MAX_EXPORT_DAYS:
            raise forms.ValidationError(f"Export at most {MAX_EXPORT_DAYS} days at a time.")
        return cleaned


class MappingForm(forms.Form):
    """One choice per column of the file: which field it holds, or nothing."""

    def __init__(self, *args, header: list[str], samples: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— not imported —")] + [(k, label) for k, (label, _a) in FIELDS.items()]
        self.columns = []
        for index, name in enumerate(header):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=name or f"Column {index + 1}", choices=choices, required=False
            )
            sample = samples[index] if index < len(samples) else ""
            self.columns.append((self[f"col_{index}"], sample))

    def clean(self):
        cleaned = super().clean()
        mapping: dict[str, int] = {}
        for name, value in cleaned.items():
            if not value:
                continue
            if value in mapping:
                raise forms.ValidationError(f"{FIELDS[value][0]} is chosen for two columns.")
            mapping[value] = int(name.removeprefix("col_"))
        for error in csv_import.mapping_errors(mapping):
            self.add_error(None, error)
        cleaned["mapping"] = mapping
        return cleaned


def _page_context(request: HttpRequest, practice: Practice, **overrides) -> dict:
    context = {
        "practice": practice,
        "can_import": access.user_can(request.user, practice, access.PLAYBOOK),
        "fhir_form": FhirUploadForm(),
        "csv_form": CsvUploadForm(),
        "export_form": ExportForm(initial=_default_range()),
        "csv_max_mb": csv_import.max_upload_bytes() / 1_048_576,
    }
    context.update(overrides)
    return context


def _default_range() -> dict[str, date]:
    today = timezone.localdate()
    return {"since": today - timedelta(days=28), "until": today}


def _pending_upload(request: HttpRequest, practice: Practice) -> dict | None:
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("practice") != practice.slug:
        return None
    return pending


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return practice_home(
        request,
        permission=access.MANAGE,
        practice_url="imports:practice",
        template="imports/home.html",
    )


@login_required
def practice_page(request: HttpRequest, slug: str) -> HttpResponse:
    practice = access.get_practice_for_user(request.user, slug, access.MANAGE)
    pending = _pending_upload(request, practice)
    return render(
        request, "imports/practice.html", _page_context(request, practice, pending=pending)
    )


@login_required
@require_POST
def fhir_import(request: HttpRequest, slug: str) -> HttpResponse:
    practice = access.get_practice_for_user(request.user, slug, access.PLAYBOOK)
    form = FhirUploadForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        upload = form.cleaned_data["bundle"]
        report = import_fhir_bundle(
            practice=practice, source=upload, filename=upload.name[:80], now=timezone.now()
        )
        record_access(
            request, action="fhir_import", practice=practice, patient_ids=report.patient_ids
        )
        form = FhirUploadForm()
    context = _page_context(request, practice, fhir_form=form, report=report)
    template = "imports/practice.html#fhir-card" if request.htmx else "imports/practice.html"
    return render(request, template, context)


@login_required
def fhir_export(request: HttpRequest, slug: str) -> HttpResponse:
    practice = access.get_practice_for_user(request.user, slug, access.MANAGE)
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(
            request, "imports/practice.html", _page_context(request, practice, export_form=form)
        )
    since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    result = export_fhir_bundle(practice=practice, since=since, until=until, now=timezone.now())
    record_access(request, action="fhir_export", practice=practice, patient_ids=result.patient_ids)
    response = HttpResponse(result.json, content_type="application/fhir+json")
    filename = f"{practice.slug}-{since:%Y%m%d}-{until:%Y%m%d}.fhir.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def csv_upload(request: HttpRequest, slug: str) -> HttpResponse:
    practice = access.get_practice_for_user(request.user, slug, access.PLAYBOOK)
    form = CsvUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            token = csv_import.store_upload(upload=upload, now=timezone.now())
        except CsvFileError as exc:
            form.add_error("file", str(exc))
        else:
            previous = _pending_upload(request, practice)
            if previous:
                csv_import.delete_upload(previous["token"])
            request.session[SESSION_KEY] = {
                "practice": practice.slug,
                "token": token,
                "filename": upload.name[:80],
                "mapping": None,
            }
            return redirect("imports:csv-mapping", slug=practice.slug)
    return render(request, "imports/practice.html", _page_context(request, practice, csv_form=form))


@login_required
@require_http_methods(["GET", "POST"])
def csv_mapping(request: HttpRequest, slug: str) -> HttpResponse:
    practice = access.get_practice_for_user(request.user, slug, access.PLAYBOOK)
    pending = _pending_upload(request, practice)
    try:
        header, rows = csv_import.read_upload(pending["token"] if pending else "")
    except CsvFileError as exc:
        return _upload_gone(request, practice, exc)
    mapping = pending["mapping"] or csv_import.guess_mapping(header)
    initial = {f"col_{index}": field for field, index in mapping.items()}
    data = request.POST if request.method == "POST" else None
    form = MappingForm(data, initial=initial, header=header, samples=next(rows, (0, []))[1])
    if form.is_valid():
        pending["mapping"] = form.cleaned_data["mapping"]
        request.session[SESSION_KEY] = pending
        return redirect("imports:csv-preview", slug=practice.slug)
    record_access(request, action="csv_import_mapping", practice=practice)
    context = {"practice": practice, "form": form, "filename": pending["filename"]}
    return render(request, "imports/csv_mapping.html", context)


@login_required
def csv_preview(request: HttpRequest, slug: str) -> HttpResponse:
    practice = access.get_practice_for_user(request.user, slug, access.PLAYBOOK)
    pending = _pending_upload(request, practice)
    if pending and not pending["mapping"]:
        return redirect("imports:csv-mapping", slug=practice.slug)
    try:
        if not pending:
            raise CsvFileError("The upload has expired; upload the file again.")
        preview = csv_import.build_preview(
            practice=practice, token=pending["token"], mapping=pending["mapping"]
        )
    except CsvFileError as exc:
        return _upload_gone(request, practice, exc)
    only_errors = request.GET.get("errors") == "1"
    rows = [row for row in preview.rows if row.errors] if only_errors else preview.rows
    page = Paginator(rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(request, action="csv_import_preview", practice=practice)
    fields = [(name, FIELDS[name][0]) for name in FIELDS if name in pending["mapping"]]
    context = {
        "practice": practice,
        "preview": preview,
        "page": page,
        "rows": [(row, [row.values.get(name, "") for name, _l in fields]) for row in page],
        "fields": fields,
        "only_errors": only_errors,
        "filename": pending["filename"],
    }
    return render(request, "imports/csv_preview.html", context)


@login_required
@require_POST
def csv_commit(request: HttpRequest, slug: str) -> HttpResponse:
    practice = access.get_practice_for_user(request.user, slug, access.PLAYBOOK)
    pending = _pending_upload(request, practice)
    if not pending or not pending["mapping"]:
        return _upload_gone(request, practice, CsvFileError("Nothing to import: upload a file."))
    try:
        run = import_runs.start_csv_import(
            practice=practice,
            user=request.user,
            token=pending["token"],
            mapping=pending["mapping"],
            filename=pending["filename"],
            now=timezone.now(),
        )
    except CsvFileError as exc:
        return _upload_gone(request, practice, exc)
    del request.session[SESSION_KEY]
    record_access(request, action="csv_import_started", practice=practice, obj=run)
    return redirect("imports:csv-run", slug=practice.slug, code=run.code)


@login_required
@require_GET
def csv_run(request: HttpRequest, slug: str, code: UUID) -> HttpResponse:
    """The background import's progress; the part that changes polls until the run ends."""
    practice = access.get_practice_for_user(request.user, slug, access.PLAYBOOK)
    run = import_runs.get_run(practice=practice, code=code)
    record_access(request, action="csv_import_progress", practice=practice, obj=run)
    context = {"practice": practice, "run": run}
    if request.htmx:
        response = render(request, "imports/csv_run.html#run-progress", context)
        if run.finished:  # the final state is swapped in, then the polling stops (286)
            response.status_code = HttpResponseStopPolling.status_code
        return response
    return render(request, "imports/csv_run.html", context)


@login_required
@require_POST
def csv_discard(request: HttpRequest, slug: str) -> HttpResponse:
    practice = access.get_practice_for_user(request.user, slug, access.PLAYBOOK)
    pending = _pending_upload(request, practice)
    if pending:
        csv_import.delete_upload(pending["token"])
        del request.session[SESSION_KEY]
    return redirect("imports:practice", slug=practice.slug)


def _upload_gone(request: HttpRequest, practice: Practice, exc: CsvFileError) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    context = _page_context(request, practice, csv_error=str(exc))
    return render(request, "imports/practice.html", context)
