from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseStopPolling, trigger_client_event

from escalation import forms, selectors, service_recovery, services, triage_labels
from escalation.models import Escalation, RouteKind, ServiceRecovery
from queue_app import access, changes
from queue_app.audit import record_access
from queue_app.models import WorkItem
from queue_app.views.common import CappedPaginator, request_roles
from templates_lib.rendering import MissingValueError
from templates_lib.services import approved_template, render_for_item

PAGE_SIZE = 25


def _patient_ids(item: WorkItem) -> list[int]:
    return [item.patient_id] if item.patient_id else []


# ---------------------------------------------------------------------------- inbox


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    practices = access.practices_for(request.user, access.ESCALATIONS)
    if not practices.exists():
        raise PermissionDenied
    now = timezone.now()
    form = forms.InboxFilterForm(request.GET, practices=practices)
    if form.value("practice"):
        practices = practices.filter(slug=form.value("practice"))
    escalations = selectors.inbox_escalations(
        practices=practices,
        view=form.value("view") or "open",
        route_kind=form.value("route"),
        now=now,
    )
    # Capped: the resolved view holds every escalation there ever was.
    page = CappedPaginator(escalations, PAGE_SIZE).get_page(request.GET.get("page"))
    record_access(
        request,
        action="escalation_inbox_view",
        practice=practices.first() if form.value("practice") else None,
        patient_ids=[e.item.patient_id for e in page],
    )
    context = {"form": form, "page": page, "now": now, "view": form.value("view") or "open"}
    template = "escalation/inbox.html#escalation-list" if request.htmx else "escalation/inbox.html"
    return render(request, template, context)


def _detail_context(escalation: Escalation, **forms_given) -> dict:
    item = escalation.item
    earlier = []
    if item.patient_id:
        earlier = list(
            Escalation.objects.filter(item__patient_id=item.patient_id)
            .exclude(pk=escalation.pk)
            .select_related("route")
            .order_by("-created")[:5]
        )
    return {
        "escalation": escalation,
        "item": item,
        "patient_name": item.patient.display_name(item.practice.name_policy)
        if item.patient
        else "",
        "earlier": earlier,
        "recovery": ServiceRecovery.objects.filter(item=item).first(),
        "open_complaint": selectors.open_complaint_for(item.patient),
        "now": timezone.now(),
        "resolve_form": forms_given.get("resolve_form") or forms.ResolveForm(),
        "return_form": forms_given.get("return_form") or forms.ReturnForm(),
        "judge_form": forms_given.get("judge_form") or forms.JudgeForm(),
        "close_form": forms_given.get("close_form") or forms.CloseRecoveryForm(),
    }


@require_GET
@login_required
def detail(request: HttpRequest, code: UUID) -> HttpResponse:
    escalation = access.get_escalation_for_user(request.user, code)
    record_access(
        request,
        action="escalation_view",
        practice=escalation.practice,
        patient_ids=_patient_ids(escalation.item),
        obj=escalation,
    )
    return render(request, "escalation/detail.html", _detail_context(escalation))


def _after_action(
    request: HttpRequest, escalation: Escalation, action: str, error: str = "", **forms_given
) -> HttpResponse:
    """The actions card again (HTMX) or the detail page (plain POST); errors re-render it."""
    escalation.refresh_from_db()
    invalid = bool(error) or any(f.errors for f in forms_given.values())
    if not invalid:
        record_access(
            request,
            action=action,
            practice=escalation.practice,
            patient_ids=_patient_ids(escalation.item),
            obj=escalation,
        )
    context = {**_detail_context(escalation, **forms_given), "action_error": error}
    if request.htmx:
        response = render(request, "escalation/detail.html#escalation-actions", context)
        return trigger_client_event(response, "escalation-changed")
    if invalid:
        return render(request, "escalation/detail.html", context)
    return redirect("escalation:detail", code=escalation.code)


@require_POST
@login_required
def acknowledge(request: HttpRequest, code: UUID) -> HttpResponse:
    escalation = access.get_escalation_for_user(request.user, code)
    error = ""
    try:
        services.acknowledge_escalation(
            escalation=escalation, actor=request.user, now=timezone.now()
        )
    except services.EscalationError as exc:
        error = str(exc)
    return _after_action(request, escalation, "escalation_acknowledge", error=error)


def _form_action(request: HttpRequest, code: UUID, form_class, action: str, run) -> HttpResponse:
    """Validate the action's form, run it on the escalation, and answer with the actions card;
    a refusal of the service shows on the form. The form's context name is its prefix + _form."""
    escalation = access.get_escalation_for_user(request.user, code)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(escalation, form)
        except services.EscalationError as exc:
            form.add_error(None, str(exc))
    return _after_action(request, escalation, f"escalation_{action}", **{f"{action}_form": form})


@require_POST
@login_required
def resolve(request: HttpRequest, code: UUID) -> HttpResponse:
    def run(escalation, form):
        services.resolve_escalation(
            escalation=escalation,
            actor=request.user,
            note=form.cleaned_data["note"],
            now=timezone.now(),
        )

    return _form_action(request, code, forms.ResolveForm, "resolve", run)


@require_POST
@login_required
def send_back(request: HttpRequest, code: UUID) -> HttpResponse:
    def run(escalation, form):
        services.return_escalation(
            escalation=escalation,
            actor=request.user,
            instruction=form.cleaned_data["instruction"],
            now=timezone.now(),
        )

    return _form_action(request, code, forms.ReturnForm, "return", run)


@require_POST
@login_required
def judge(request: HttpRequest, code: UUID) -> HttpResponse:
    def run(escalation, form):
        services.judge_escalation(
            escalation=escalation,
            actor=request.user,
            appropriate=form.appropriate,
            now=timezone.now(),
        )

    return _form_action(request, code, forms.JudgeForm, "judge", run)


@require_POST
@login_required
def recovery_close(request: HttpRequest, code: UUID) -> HttpResponse:
    recovery = (
        ServiceRecovery.objects.select_related("practice", "item", "escalation")
        .filter(code=code, practice__in=access.visible_practices(request.user))
        .first()
    )
    if recovery is None or recovery.escalation is None:
        raise Http404
    escalation = access.get_escalation_for_user(request.user, recovery.escalation.code)
    form = forms.CloseRecoveryForm(request.POST)
    if form.is_valid():
        try:
            services.close_service_recovery(
                recovery=recovery,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                now=timezone.now(),
            )
        except services.EscalationError as exc:
            form.add_error(None, str(exc))
    return _after_action(request, escalation, "service_recovery_close", close_form=form)


# ---------------------------------------------------------------------------- the item panel


def _recovery_template_text(item: WorkItem) -> str:
    """The approved service-recovery first response, filled for this item where it can be."""
    moment = item.practice.moments.filter(key=services.RECOVERY_MOMENT).first()
    if moment is None:
        return ""
    channel = "portal" if item.channel == WorkItem.Channel.PORTAL else "sms"
    template = approved_template(moment=moment, language=item.language, channel=channel)
    if template is None:
        return ""
    try:
        return render_for_item(template=template, item=item, now=timezone.now())
    except MissingValueError:
        return template.body


def _panel(request: HttpRequest, item: WorkItem, status: int = 200, **forms_given) -> HttpResponse:
    now = timezone.now()
    state = selectors.panel_state(item=item)
    can_work = access.user_can(request.user, item.practice, access.WORK)
    context = {
        "item": item,
        "state": state,
        "can_work": can_work,
        "escalate_form": forms_given.get("escalate_form") or forms.EscalateForm(),
        "confirm_form": forms_given.get("confirm_form")
        or forms.ConfirmTriageForm(initial={"boundary": item.boundary, "lane": item.moment.key}),
        "recovery_form": forms_given.get("recovery_form")
        or forms.RecoveryForm(tz_name=item.practice.timezone, now=now),
        "recovery_text": _recovery_template_text(item) if state.complaint else "",
        "now": now,
    }
    template = "escalation/item_panel.html#panel" if request.htmx else "escalation/item_panel.html"
    return render(request, template, context, status=status)


@require_GET
@login_required
def item_panel(request: HttpRequest, code: UUID) -> HttpResponse:
    item = access.get_item_for_user(request.user, code)
    record_access(
        request,
        action="escalation_item_panel",
        practice=item.practice,
        patient_ids=_patient_ids(item),
        obj=item,
    )
    return _panel(request, item)


def _after_item_action(request: HttpRequest, item: WorkItem, ok: bool, **forms_given):
    if ok and not request.htmx:
        return redirect("escalation:item-panel", code=item.code)
    item.refresh_from_db()
    response = _panel(request, item, **forms_given)
    if not ok:
        return response
    # The item panel's composer follows (an escalation brings its holding script).
    trigger_client_event(response, "escalation-changed")
    return trigger_client_event(response, "queue-changed")


def _item_form_action(
    request: HttpRequest, item: WorkItem, form, *, action: str, run, refused, form_name: str
) -> HttpResponse:
    """Validate the panel's form, run it on the item, and answer with the panel; a refusal
    of the service shows on the form, and only a success is recorded as access."""
    ok = False
    if form.is_valid():
        try:
            run(form.cleaned_data)
            ok = True
        except refused as exc:
            form.add_error(None, str(exc))
    if ok:
        record_access(
            request,
            action=action,
            practice=item.practice,
            patient_ids=_patient_ids(item),
            obj=item,
        )
    return _after_item_action(request, item, ok, **{form_name: form})


@require_POST
@login_required
def item_escalate(request: HttpRequest, code: UUID) -> HttpResponse:
    item = access.get_item_for_user(request.user, code, write=True)

    def run(data: dict) -> None:
        services.escalate_item(
            item=item,
            route_kind=data["route_kind"],
            reason=data["reason"],
            now=timezone.now(),
            actor=request.user,
        )

    return _item_form_action(
        request,
        item,
        forms.EscalateForm(request.POST),
        action="escalation_escalate",
        run=run,
        refused=services.EscalationError,
        form_name="escalate_form",
    )


@require_POST
@login_required
def item_confirm_triage(request: HttpRequest, code: UUID) -> HttpResponse:
    item = access.get_item_for_user(request.user, code, write=True)

    def run(data: dict) -> None:
        triage_labels.confirm_triage(
            item=item,
            actor=request.user,
            boundary=data["boundary"],
            lane=data["lane"],
            now=timezone.now(),
        )

    return _item_form_action(
        request,
        item,
        forms.ConfirmTriageForm(request.POST),
        action="triage_confirm",
        run=run,
        refused=triage_labels.ConfirmationRefused,
        form_name="confirm_form",
    )


@require_POST
@login_required
def item_recovery(request: HttpRequest, code: UUID) -> HttpResponse:
    item = access.get_item_for_user(request.user, code, write=True)
    now = timezone.now()

    def run(data: dict) -> None:
        service_recovery.open_service_recovery(
            item=item,
            actor=request.user,
            cause=data["cause"],
            action=data["action"],
            follow_up_at=data["follow_up_at"],
            route_kind=data["route_kind"],
            now=now,
        )

    return _item_form_action(
        request,
        item,
        forms.RecoveryForm(request.POST, tz_name=item.practice.timezone, now=now),
        action="service_recovery_open",
        run=run,
        refused=services.EscalationError,
        form_name="recovery_form",
    )


# ---------------------------------------------------------------------------- alerts


@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    # A background poll: signed out means stop polling, never a login page in the banner.
    if not request.user.is_authenticated:
        return HttpResponseStopPolling()
    roles = request_roles(request)
    marker = _banner_marker(request, roles)
    if request.headers.get("If-None-Match") == marker:
        # Nothing the banner shows changed: htmx swaps nothing on a 204.
        response = HttpResponse(status=204)
        response["ETag"] = marker
        return response
    return _banner(request, roles, marker)


def _banner_marker(request: HttpRequest, roles: access.Roles) -> str:
    return changes.banner_marker(
        user_id=request.user.pk,
        work_ids=roles.practice_ids(access.WORK),
        handle_ids=roles.practice_ids(access.ESCALATIONS),
        now=timezone.now(),
    )


def _banner(request: HttpRequest, roles: access.Roles, marker: str) -> HttpResponse:
    # Rendered without the request's context processors: this runs every 10 s on every
    # signed-in page, and the navigation's permission queries are not needed here. The
    # marker is read before the banner, so the banner is never older than its marker.
    banner = selectors.banner_for(user=request.user, roles=roles)
    template = get_template("escalation/alerts.html#banner")
    context = {"banner": banner, "groups": _alert_groups(banner.alerts), "marker": marker}
    response = HttpResponse(template.render({**context, "csrf_token": get_token(request)}))
    response["ETag"] = marker
    return response


def _alert_groups(alerts: list) -> list[dict]:
    """Alerts that read the same (kind, practice, route) as one line with their count: six
    identical "acknowledgement overdue" banners say less than one that says six."""
    groups: dict[tuple, dict] = {}
    for alert in alerts:
        key = (alert.kind, alert.practice_id, alert.escalation.route_id)
        group = groups.setdefault(key, {"alert": alert, "others": []})
        if group["alert"] is not alert:
            group["others"].append(alert)
    return list(groups.values())


@require_POST
@login_required
def alert_seen(request: HttpRequest, code: UUID) -> HttpResponse:
    alert = access.get_alert_for_user(request.user, code)
    services.dismiss_alert(alert=alert, user=request.user, now=timezone.now())
    # A grouped line dismisses the alerts it stands for; each is checked like the first.
    for other in request.POST.getlist("also")[:50]:
        try:
            other_alert = access.get_alert_for_user(request.user, UUID(other))
        except (ValueError, Http404):
            continue
        services.dismiss_alert(alert=other_alert, user=request.user, now=timezone.now())
    if request.htmx:
        roles = request_roles(request)
        return _banner(request, roles, _banner_marker(request, roles))
    return redirect("escalation:inbox")


# ---------------------------------------------------------------------------- routes


@require_GET
@login_required
def routes(request: HttpRequest) -> HttpResponse:
    practices = list(access.practices_for(request.user, access.PLAYBOOK).order_by("name"))
    if not practices:
        raise PermissionDenied
    rows = [
        (practice, services.ensure_default_routes(practice=practice).values())
        for practice in practices
    ]
    return render(request, "escalation/routes.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@login_required
def route_edit(request: HttpRequest, practice: str, kind: str) -> HttpResponse:
    practice_obj = access.get_practice_for_user(request.user, practice, access.PLAYBOOK)
    if kind not in RouteKind.values:
        raise Http404
    route = services.route_for(practice=practice_obj, kind=kind)
    handlers = services.holders(practice_obj, access.ESCALATIONS)
    managers = services.holders(practice_obj, access.MANAGE)
    staff = User.objects.filter(
        Q(pk__in=handlers.values("pk")) | Q(pk__in=managers.values("pk"))
    ).order_by("username")
    data = request.POST if request.method == "POST" else None
    form = forms.RouteForm(data, route=route, handlers=handlers, staff=staff)
    saved = False
    if data is not None and form.is_valid():
        cleaned = form.cleaned_data
        try:
            services.update_route(
                route=route,
                name=cleaned["name"],
                ack_minutes=cleaned["ack_minutes"],
                backup=cleaned["backup"],
                recipients=list(cleaned["recipients"]),
                patient_script={"en": cleaned["script_en"], "es": cleaned["script_es"]},
            )
            saved = True
        except services.EscalationError as exc:
            form.add_error(None, str(exc))
    if saved and not request.htmx:
        return redirect("escalation:routes")
    context = {"form": form, "route": route, "practice": practice_obj, "saved": saved}
    template = "escalation/route_edit.html"
    return render(request, f"{template}#route-form" if request.htmx else template, context)
