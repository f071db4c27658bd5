from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from notes import drafts, services
from notes.checker import NoteVerdict
from notes.forms import NoteForm, ReviewForm, SampleSizeForm
from notes.models import Note, QAReview
from queue_app.access import (
    MANAGE,
    WORK,
    get_item_for_user,
    get_practice_for_user,
    get_review_for_user,
    practices_for,
    user_can,
)
from queue_app.audit import record_access
from queue_app.lanes import NOTE_ELEMENT_LABELS, required_elements
from queue_app.models import Language, WorkItem

ELEMENT_LABELS = NOTE_ELEMENT_LABELS
PAGE_SIZE = 25
NOTES_SHOWN = 50


# ------------------------------------------------------------------------------ item notes
def _languages(item: WorkItem) -> list[tuple[str, str]]:
    codes = [item.language] + [c for c in item.practice.languages if c != item.language]
    names = dict(Language.choices)
    return [
        (code, f"{names.get(code, code)}{' (patient’s language)' if i == 0 else ''}")
        for i, code in enumerate(codes)
    ]


def _verdict_rows(verdict: NoteVerdict | None, language: str) -> list[dict]:
    if verdict is None:
        return []
    labels = ELEMENT_LABELS["es" if language == "es" else "en"]
    return [{"label": labels[e], "hint": verdict.hints.get(e, "")} for e in verdict.missing]


def _record_rows(verdict: NoteVerdict | None, language: str) -> list[dict]:
    """Elements the item's own record satisfied, with the fact that did it."""
    if verdict is None:
        return []
    labels = ELEMENT_LABELS["es" if language == "es" else "en"]
    return [{"label": labels[e], "fact": verdict.found[e]} for e in verdict.from_record]


def _correcting(item: WorkItem, code: UUID | str | None) -> Note | None:
    if not code:
        return None
    try:
        code = UUID(str(code))
    except ValueError as exc:
        raise Http404 from exc
    note = item.notes.filter(code=code).first()
    if note is None:
        raise Http404
    return note


def _note_rows(notes: list[Note], language: str) -> list[dict]:
    """Each note with its filled fields, and the notes that correct it (within the list)."""
    labels = ELEMENT_LABELS["en"] | {"free_text": "Other"}
    corrected_by: dict[int, list[Note]] = {}
    for note in notes:
        if note.corrects_id:
            corrected_by.setdefault(note.corrects_id, []).append(note)
    return [
        {
            "note": note,
            "fields": [
                (labels[name], getattr(note, name))
                for name in services.FIELDS
                if getattr(note, name)
            ],
            "missing": [labels.get(name, name) for name in note.missing],
            "corrected_by": corrected_by.get(note.pk, []),
        }
        for note in notes
    ]


def _blank_form(item: WorkItem, corrects: Note | None, user: User) -> NoteForm:
    if corrects is not None:
        initial = {name: getattr(corrects, name) for name in services.FIELDS}
        initial |= {"language": corrects.language, "corrects": corrects.code}
        initial["follow_up_at"] = corrects.follow_up_at
    else:
        initial = services.prefill_fields(item=item, language=item.language, now=timezone.now())
        initial["language"] = item.language
        # What the assistant had typed and not saved comes back over the prefill.
        initial |= drafts.drafts_for(user=user, item=item)
    return NoteForm(initial=initial, languages=_languages(item))


def _render_notes(request: HttpRequest, item: WorkItem, form: NoteForm, **extra) -> HttpResponse:
    language = form["language"].value() or item.language
    language = language if language in dict(Language.choices) else item.language
    verdict = extra.pop("verdict", None)
    typed = {name: form[name].value() or "" for name in services.FIELDS}
    check = services.check_fields(item=item, fields=typed, language=language, now=timezone.now())
    context = {
        "item": item,
        "note_rows": _note_rows(list(services.notes_of(item)[:NOTES_SHOWN]), language),
        "form": form,
        "language": language,
        "refused": verdict is not None,
        "typed": any(str(value).strip() for value in typed.values()),
        "verdict": check,
        "missing": _verdict_rows(check, language),
        "from_record": _record_rows(check, language),
        "example": item.moment.text("note_example", language),
        "can_write": user_can(request.user, item.practice, WORK),
        # Inside the item panel its owner may save the note and resolve in one step.
        "can_resolve": bool(request.htmx)
        and item.owner_id == request.user.pk
        and item.is_open
        and not extra.get("corrects"),
        **extra,
    }
    focus = _focus_field(request, item, form, context["can_resolve"])
    if focus:
        # Not `autofocus`: the widget loads after the panel, and must not take the focus from
        # someone already typing elsewhere (static/js/app.js moves it only from a button).
        form.fields[focus].widget.attrs["data-focus-after-load"] = True
    template = "notes/item_notes.html#item-notes" if request.htmx else "notes/item_notes.html"
    with timezone.override(item.practice.timezone):
        return render(request, template, context)


def _focus_field(request: HttpRequest, item: WorkItem, form: NoteForm, can_resolve: bool) -> str:
    """Right after the reply went out (or the call was logged), the work is the note: its
    first required field the record could not fill takes the focus."""
    replied = form["action_taken"].value() or form["contact_attempt"].value()
    if not (request.GET.get("after") and can_resolve and item.identity_verified_at and replied):
        return ""
    required = required_elements(item.moment.key)
    return next((n for n in form.fields if n in required and not form[n].value()), "")


@login_required
@require_http_methods(["GET", "POST"])
def item_notes(request: HttpRequest, code: UUID) -> HttpResponse:
    if request.method == "POST":
        return _add_note(request, code)
    item = get_item_for_user(request.user, code)
    corrects = _correcting(item, request.GET.get("corrects"))
    record_access(
        request,
        action="view_notes",
        practice=item.practice,
        patient_ids=[item.patient_id],
        obj=item,
    )
    return _render_notes(
        request, item, _blank_form(item, corrects, request.user), corrects=corrects
    )


def _add_note(request: HttpRequest, code: UUID) -> HttpResponse:
    item = get_item_for_user(request.user, code, write=True)
    with timezone.override(item.practice.timezone):
        form = NoteForm(request.POST, languages=_languages(item))
        valid = form.is_valid()
    if not valid:
        return _render_notes(request, item, form)
    corrects = _correcting(item, form.cleaned_data["corrects"])
    try:
        note = services.record_actionable_note(
            item=item,
            author=request.user,
            fields=form.note_fields(),
            now=timezone.now(),
            language=form.cleaned_data["language"],
            follow_up_at=form.cleaned_data["follow_up_at"],
            corrects=corrects,
            override_reason=form.cleaned_data["override_reason"],
        )
    except services.NoteRefused as refused:
        return _render_notes(request, item, form, verdict=refused.verdict, corrects=corrects)
    drafts.discard_drafts(user=request.user, item=item)
    record_access(
        request, action="add_note", practice=item.practice, patient_ids=[item.patient_id], obj=note
    )
    warned = [ELEMENT_LABELS["en"][name] for name in note.missing]
    if not request.htmx:
        if note.override_reason:
            messages.warning(request, "Saved over a refusal; it goes to QA review.")
        elif warned:
            messages.warning(request, "Saved with a warning: check " + ", ".join(warned) + ".")
        else:
            messages.success(request, "Note saved.")
        return redirect("notes:item-notes", code=item.code)
    response = _render_notes(
        request, item, _blank_form(item, None, request.user), saved=note, saved_missing=warned
    )
    return trigger_client_event(response, "notes-changed")


@login_required
@require_POST
def item_notes_check(request: HttpRequest, code: UUID) -> HttpResponse:
    item = get_item_for_user(request.user, code, write=True)
    fields = {name: request.POST.get(name, "") for name in services.FIELDS}
    language = request.POST.get("language")
    language = language if language in dict(Language.choices) else item.language
    typed = any(value.strip() for value in fields.values())
    now = timezone.now()
    if not request.POST.get("corrects"):
        # The check runs as the assistant types, so it also keeps what they typed (a draft).
        prefill = services.prefill_fields(item=item, language=item.language, now=now)
        drafts.save_drafts(user=request.user, item=item, fields=fields, now=now, keep=prefill)
    verdict = services.check_fields(item=item, fields=fields, language=language, now=now)
    context = {
        "item": item,
        "typed": typed,
        "verdict": verdict,
        "missing": _verdict_rows(verdict, language),
        "from_record": _record_rows(verdict, language),
        "language": language,
    }
    return render(request, "notes/item_notes.html#note-check", context)


# ------------------------------------------------------------------------------- QA review
def _review_row(review: QAReview) -> dict:
    checks = [(label, review.checks.get(name)) for name, label in QAReview.CHECKS]
    return {"review": review, "checks": checks}


@login_required
def qa_queue(request: HttpRequest) -> HttpResponse:
    practices = list(practices_for(request.user, MANAGE).order_by("name"))
    if not practices:
        raise PermissionDenied
    status = "done" if request.GET.get("status") == "done" else "pending"
    reviews = (
        QAReview.objects.filter(practice__in=practices, status=status)
        .exclude(assistant=request.user)
        .select_related("practice", "assistant", "item__moment", "reviewer")
        .order_by("-week", "assistant__username", "pk")
    )
    page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(
        request,
        action="view_qa_queue",
        practice=practices[0] if len(practices) == 1 else None,
        patient_ids=[review.item.patient_id for review in page],
    )
    settings_rows = [
        (p, SampleSizeForm(initial={"sample_size": services.sample_size_for(p)})) for p in practices
    ]
    context = {
        "page": page,
        "rows": [_review_row(review) for review in page],
        "status": status,
        "settings_rows": settings_rows,
    }
    return render(request, "notes/qa_queue.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def qa_review(request: HttpRequest, code: UUID) -> HttpResponse:
    review = get_review_for_user(request.user, code)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_review(
                review=review,
                reviewer=request.user,
                checks=form.checks(),
                missed_escalation=form.cleaned_data["missed_escalation"] == "yes",
                comment=form.cleaned_data["comment"],
                now=timezone.now(),
            )
        except services.ReviewRefused as refused:
            form.add_error(None, str(refused))
        else:
            record_access(
                request,
                action="score_qa_review",
                practice=review.practice,
                patient_ids=[review.item.patient_id],
                obj=review,
            )
            messages.success(request, "Review saved.")
            return redirect("notes:qa-queue")
    record_access(
        request,
        action="view_qa_review",
        practice=review.practice,
        patient_ids=[review.item.patient_id],
        obj=review,
    )
    item = review.item
    context = {
        "review": review,
        "item": item,
        "form": form,
        "note_rows": _note_rows(list(services.notes_of(item)), item.language),
        "messages_of_item": item.messages.select_related("template", "sent_by").order_by(
            "created", "id"
        ),
        "result": _review_row(review),
    }
    template = "notes/qa_review.html#review-form" if request.htmx else "notes/qa_review.html"
    with timezone.override(item.practice.timezone):
        return render(request, template, context)


@login_required
@require_POST
def qa_settings(request: HttpRequest, slug: str) -> HttpResponse:
    practice = get_practice_for_user(request.user, slug, MANAGE)
    form = SampleSizeForm(request.POST)
    if form.is_valid():
        services.set_sample_size(practice=practice, sample_size=form.cleaned_data["sample_size"])
        messages.success(request, f"QA sample size of {practice.name} saved.")
    else:
        messages.error(request, "The sample size must be a whole number from 1 to 50.")
    return redirect("notes:qa-queue")


@login_required
def my_reviews(request: HttpRequest) -> HttpResponse:
    practices = practices_for(request.user, WORK)
    mine = QAReview.objects.filter(assistant=request.user, practice__in=practices)
    done = (
        mine.filter(status=QAReview.Status.DONE)
        .select_related("practice", "item__moment", "reviewer")
        .order_by("-week", "-reviewed_at", "-pk")
    )
    page = Paginator(done, PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(
        request,
        action="view_my_reviews",
        practice=None,
        patient_ids=[review.item.patient_id for review in page],
    )
    context = {
        "page": page,
        "rows": [_review_row(review) for review in page],
        "pending": mine.filter(status=QAReview.Status.PENDING).count(),
    }
    return render(request, "notes/my_reviews.html", context)
