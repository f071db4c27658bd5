"""The item panel (a partial beside the queue, a page without JavaScript) and its actions."""

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event
from guardian.shortcuts import get_users_with_perms

from escalation.selectors import sent_back_reasons
from notes import drafts
from notes import services as note_services
from notes.forms import NoteForm
from queue_app import access, selectors
from queue_app.audit import record_access
from queue_app.clock import zone
from queue_app.forms import (
    VERIFICATION_LABELS,
    CallAttemptForm,
    ComposeForm,
    FollowUpForm,
    NeededForm,
    ReassignForm,
    VerifyForm,
)
from queue_app.models import Appointment, Message, WorkItem
from queue_app.services import closing, composing, ownership, promises, shared, working
from queue_app.views.common import AuthedRequest, request_roles
from queue_app.views.composer import composer_context, render_composer


def latest_consents(item: WorkItem) -> list[dict]:
    latest: dict[str, object] = {}
    for consent in item.patient.consents.order_by("channel", "-recorded_at", "-id"):
        latest.setdefault(consent.channel, consent)
    return [
        {"channel": channel, "consent": latest.get(channel)}
        for channel in ("sms", "portal", "email", "voice")
    ]


def panel_context(
    request: AuthedRequest,
    item: WorkItem,
    now: datetime,
    *,
    bound: dict[str, Form] | None = None,
    compose_form: ComposeForm | None = None,
    compose_refusal: Exception | None = None,
) -> dict:
    user, practice, patient = request.user, item.practice, item.patient
    item.moment.practice = practice  # the playbook reads the practice; it is already loaded
    # The roles the navigation reads anyway (one query per request, not two more here).
    roles = request_roles(request)
    can_work = roles.can(practice.pk, access.WORK)
    can_manage = roles.can(practice.pk, access.MANAGE)
    verified = item.identity_verified_at is not None
    required = working.verification_fields(item, now)
    no_appointment = (
        working.APPOINTMENT_FIELD in item.moment.verification_fields
        and working.APPOINTMENT_FIELD not in required
    )
    language = request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("en", "es") else "en"
    timeline = selectors.item_timeline(item=item)
    context = {
        "item": item,
        "practice": practice,
        "patient": patient,
        "display_name": patient.display_name(practice.name_policy) if patient else "Unknown",
        "now": now,
        "tz": practice.timezone,
        "can_work": can_work,
        "can_manage": can_manage,
        "is_owner": item.owner_id == user.pk,
        "owner_name": shared.holder_name(item.owner) if item.owner_id else "",
        "verified": verified,
        "checklist": [
            {"name": f, "label": VERIFICATION_LABELS.get(f, f), "done": f in item.verified_fields}
            for f in required
        ],
        "no_appointment": no_appointment,
        "playbook": {
            "name": item.moment.label(language),
            "likely_question": item.moment.text("likely_question", item.language),
            "checks": item.moment.text("verification_checks", language),
            "escalation_point": item.moment.text("escalation_point", language),
        },
        "notes_url": reverse("notes:item-notes", args=[item.code]),
        "escalation_url": reverse("escalation:item-panel", args=[item.code]),
        "timeline": timeline,
        "marker": selectors.timeline_marker(item=item),
        "sent_back": sent_back_reasons(item_ids=[item.pk]).get(item.pk)
        if item.is_sent_back
        else None,
        "broken_promises": [p.sentence(practice.timezone) for p in promises.broken_promises(item)]
        if item.is_open
        else [],
        # What was sent lately, newest first, read from the timeline's messages.
        "sent": [
            entry.obj
            for entry in reversed(timeline)
            if entry.kind == "message" and entry.obj.direction == Message.Direction.OUTBOUND
        ][:10],
    }
    if patient is not None:
        context["consents"] = latest_consents(item)
        context["other_items"] = list(
            patient.items.open().exclude(pk=item.pk).select_related("moment").order_by("due_at")[:5]
        )
        if verified:
            context["appointments"] = list(
                patient.appointments.filter(
                    status=Appointment.Status.BOOKED, starts_at__gte=now
                ).order_by("starts_at")[:3]
            )
    if can_work and item.is_open:
        kept = drafts.drafts_for(user=request.user, item=item).get("text", "")
        context["compose"] = composer_context(
            item, now, context["sent"], form=compose_form, refusal=compose_refusal, kept=kept
        )
    forms = {
        "verify_form": VerifyForm(
            required_fields=required, initial={"verified": item.verified_fields}
        ),
        "call_form": CallAttemptForm(),
        "needed_form": NeededForm(initial={"needed": item.needed_from_patient}),
        "follow_up_form": FollowUpForm(),
    }
    if can_manage and item.is_open:
        people = get_users_with_perms(practice, only_with_perms_in=[access.WORK]).order_by(
            "username"
        )
        forms["reassign_form"] = ReassignForm(people=people)
    forms.update(bound or {})
    context.update(forms)
    return context


def render_panel(
    request: AuthedRequest,
    item: WorkItem,
    *,
    bound: dict[str, Form] | None = None,
    notice: str = "",
    error: str = "",
) -> HttpResponse:
    now = timezone.now()
    context = panel_context(request, item, now, bound=bound)
    context.update(notice=notice, error=error)
    if request.htmx:
        response = render(request, "queue_app/item.html#item-panel", context)
        # The queue beside the panel refreshes its rows after any change.
        return trigger_client_event(response, "queue-changed") if notice else response
    return render(request, "queue_app/item.html", context)


@login_required
@require_GET
def item_panel(request: AuthedRequest, code: UUID) -> HttpResponse:
    item = access.get_item_for_user(request.user, code)
    record_access(
        request, action="item_view", practice=item.practice, patient_ids=[item.patient_id], obj=item
    )
    return render_panel(request, item)


@login_required
@require_GET
def item_head(request: AuthedRequest, code: UUID) -> HttpResponse:
    """The panel's status line alone: widgets beside it (escalation, notes) change the item."""
    item = access.get_item_for_user(request.user, code)
    context = {
        "item": item,
        "practice": item.practice,
        "display_name": item.patient.display_name(item.practice.name_policy)
        if item.patient
        else "Unknown",
        "playbook": {"name": item.moment.label(request.LANGUAGE_CODE)},
        "now": timezone.now(),
        "tz": item.practice.timezone,
        "is_owner": item.owner_id == request.user.pk,
        "owner_name": shared.holder_name(item.owner) if item.owner_id else "",
    }
    return render(request, "queue_app/item.html#item-head", context)


@login_required
@require_GET
def conversation(request: AuthedRequest, code: UUID) -> HttpResponse:
    """The timeline alone, for the panel's poll: 204 (htmx swaps nothing) when unchanged."""
    item = access.get_item_for_user(request.user, code, poll=True)
    marker = selectors.timeline_marker(item=item)
    if request.headers.get("If-None-Match") == marker:
        # Nothing new was shown, so there is no access to record.
        response = HttpResponse(status=204)
        response["ETag"] = marker
        return response
    item = access.get_item_for_user(request.user, code)  # the whole item, to draw it
    record_access(
        request,
        action="item_conversation",
        practice=item.practice,
        patient_ids=[item.patient_id],
        obj=item,
    )
    context = {
        "item": item,
        "tz": item.practice.timezone,
        "timeline": selectors.item_timeline(item=item),
        "marker": marker,
    }
    response = render(request, "queue_app/item.html#conversation", context)
    response["ETag"] = marker
    return response


def run_action(
    request: AuthedRequest,
    item: WorkItem,
    action: Callable[[datetime], object],  # may return a notice that replaces the default
    *,
    notice: str,
    form: tuple[str, Form] | None = None,
) -> HttpResponse:
    """Validate the form, run the service, audit it, answer with the panel (or a redirect)."""
    if form is not None:
        # Times typed in the form are the practice's local times.
        with timezone.override(zone(item.practice.timezone)):
            valid = form[1].is_valid()
        if not valid:
            return render_panel(request, item, bound=dict([form]), error="Check the form below.")
    try:
        outcome = action(timezone.now())
    except shared.ActionRefused as exc:
        item.refresh_from_db()
        return render_panel(request, item, error=str(exc))
    if isinstance(outcome, str):
        notice = outcome
    record_access(
        request,
        action=request.resolver_match.url_name.replace("-", "_"),
        practice=item.practice,
        patient_ids=[item.patient_id],
        obj=item,
    )
    if request.htmx:
        return render_panel(request, item, notice=notice)
    messages.success(request, notice)
    return redirect("queue:item", code=item.code)


def writable_item(request: AuthedRequest, code: UUID) -> WorkItem:
    return access.get_item_for_user(request.user, code, write=True)


@login_required
@require_POST
def claim(request: AuthedRequest, code: UUID) -> HttpResponse:
    item = writable_item(request, code)
    return run_action(
        request,
        item,
        lambda now: ownership.claim_item(item=item, actor=request.user, now=now),
        notice="You have this item now.",
    )


@login_required
@require_POST
def take_next(request: AuthedRequest) -> HttpResponse:
    """Claim the most pressing unowned item the assistant may work, and open it."""
    item = ownership.take_next(actor=request.user, now=timezone.now())
    if item is None:
        if request.htmx:
            return HttpResponse('<p class="empty" role="status">Nothing to take right now.</p>')
        messages.info(request, "Nothing to take right now.")
        return redirect("queue:queue")
    record_access(
        request,
        action="take_next",
        practice=item.practice,
        patient_ids=[item.patient_id],
        obj=item,
    )
    if request.htmx:
        response = render_panel(request, item, notice="You have this item now.")
        return trigger_client_event(response, "queue-changed")
    messages.success(request, "You have this item now.")
    return redirect("queue:item", code=item.code)


@login_required
@require_POST
def release(request: AuthedRequest, code: UUID) -> HttpResponse:
    item = writable_item(request, code)
    return run_action(
        request,
        item,
        lambda now: ownership.release_item(item=item, actor=request.user, now=now),
        notice="Released back to the queue.",
    )


@login_required
@require_POST
def reassign(request: AuthedRequest, code: UUID) -> HttpResponse:
    item = writable_item(request, code)
    if not access.user_can(request.user, item.practice, access.MANAGE):
        raise PermissionDenied
    people = get_users_with_perms(item.practice, only_with_perms_in=[access.WORK])
    form = ReassignForm(request.POST, people=people)
    return run_action(
        request,
        item,
        lambda now: ownership.reassign_item(
            item=item, actor=request.user, to=form.cleaned_data["to"], now=now
        ),
        notice="Reassigned.",
        form=("reassign_form", form),
    )


@login_required
@require_POST
def verify(request: AuthedRequest, code: UUID) -> HttpResponse:
    item = writable_item(request, code)
    data = request.POST.copy()
    if data.get("all"):
        # "All confirmed": every check this patient can pass, in one step (no appointment
        # field when none is on file, so nothing is recorded that could not be checked).
        data.setlist("verified", working.verification_fields(item, timezone.now()))
    form = VerifyForm(data, required_fields=list(item.moment.verification_fields))
    return run_action(
        request,
        item,
        lambda now: working.verify_identity(
            item=item, actor=request.user, fields=form.cleaned_data["verified"], now=now
        ),
        notice="Identity check recorded.",
        form=("verify_form", form),
    )


@login_required
@require_POST
def send(request: AuthedRequest, code: UUID) -> HttpResponse:
    item = writable_item(request, code)
    form = ComposeForm(request.POST)
    now = timezone.now()
    try:
        if not form.is_valid():
            raise shared.ActionRefused("Choose a response, or write your own, and send again.")
        result = composing.send_composition(
            item=item,
            actor=request.user,
            composition=form.composition(),
            token=form.cleaned_data["token"],
            now=now,
        )
    except shared.ActionRefused as exc:
        item.refresh_from_db()
        return render_composer_refusal(request, item, form, exc)
    record_access(
        request, action="item_send", practice=item.practice, patient_ids=[item.patient_id], obj=item
    )
    drafts.discard_drafts(user=request.user, item=item, fields=drafts.REPLY_FIELDS)
    if result.duplicate:
        notice = "Already sent."
    elif result.scheduled:
        local = timezone.localtime(result.message.send_after, zone(item.practice.timezone))
        notice = f"Quiet hours: the message is scheduled for {local:%a %H:%M}."
    else:
        notice = "Message queued for sending."
    if request.htmx:
        return render_panel(request, item, notice=notice)
    messages.success(request, notice)
    return redirect("queue:item", code=item.code)


def render_composer_refusal(
    request: AuthedRequest, item: WorkItem, form: ComposeForm, refusal: Exception
) -> HttpResponse:
    """The composer again, its text and values kept and the reason beside it (htmx swaps the
    composer alone, so focus stays in it); without JavaScript, the whole page."""
    now = timezone.now()
    if not request.htmx:
        context = panel_context(request, item, now, compose_form=form, compose_refusal=refusal)
        return render(request, "queue_app/item.html", context)
    response = render_composer(request, item, form=form, refusal=refusal)
    return reswap(retarget(response, "#composer"), "outerHTML")


@login_required
@require_POST
def log_call(request: AuthedRequest, code: UUID) -> HttpResponse:
    item = writable_item(request, code)
    form = CallAttemptForm(request.POST)
    return run_action(
        request,
        item,
        lambda now: working.log_call_attempt(
            item=item,
            actor=request.user,
            outcome=form.cleaned_data["outcome"],
            attempted_at=form.cleaned_data["attempted_at"] or now,
            next_attempt_at=form.cleaned_data["next_attempt_at"],
            now=now,
        ),
        notice="Call attempt logged.",
        form=("call_form", form),
    )


@login_required
@require_POST
def mark_needed(request: AuthedRequest, code: UUID) -> HttpResponse:
    item = writable_item(request, code)
    form = NeededForm(request.POST)
    return run_action(
        request,
        item,
        lambda now: working.mark_needed(
            item=item, actor=request.user, needed=form.cleaned_data["needed"], now=now
        ),
        notice="Waiting on the patient.",
        form=("needed_form", form),
    )


@login_required
@require_POST
def follow_up(request: AuthedRequest, code: UUID) -> HttpResponse:
    item = writable_item(request, code)
    form = FollowUpForm(request.POST)
    return run_action(
        request,
        item,
        lambda now: working.set_follow_up(
            item=item, actor=request.user, follow_up_at=form.cleaned_data["follow_up_at"], now=now
        ),
        notice="Follow-up promised.",
        form=("follow_up_form", form),
    )


@login_required
@require_POST
def resolve(request: AuthedRequest, code: UUID) -> HttpResponse:
    item = writable_item(request, code)
    if "request" not in request.POST:
        return run_action(
            request,
            item,
            lambda now: closing.resolve_item(item=item, actor=request.user, now=now),
            notice="Resolved.",
        )
    # "Close with this note" from the notes form: one step, both or neither. What was typed
    # is kept as drafts first, so a refusal shows it again in the form with the reason.
    form = NoteForm(request.POST)
    typed = {name: request.POST.get(name, "") for name in drafts.NOTE_FIELDS}
    drafts.save_drafts(user=request.user, item=item, fields=typed, now=timezone.now(), keep={})

    @transaction.atomic
    def action(now: datetime) -> None:
        try:
            note_services.record_actionable_note(
                item=item,
                author=request.user,
                fields=form.note_fields(),
                now=now,
                language=form.cleaned_data["language"],
                follow_up_at=form.cleaned_data["follow_up_at"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except note_services.NoteRefused as refused:
            missing = ", ".join(
                closing.NOTE_ELEMENT_LABELS.get(m, m) for m in refused.verdict.missing
            )
            raise shared.ActionRefused(f"Not resolved: the note is missing {missing}.") from None
        closing.resolve_item(item=item, actor=request.user, now=now)
        drafts.discard_drafts(user=request.user, item=item)

    return run_action(request, item, action, notice="Resolved.", form=("note_form", form))
