"""Break-glass: a manager asks for emergency access to one item; admins read every such access."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from queue_app import access, break_glass
from queue_app.audit import record_access
from queue_app.clock import zone
from queue_app.forms import BreakGlassForm
from queue_app.views.common import AuthedRequest


@login_required
@require_http_methods(["GET", "POST"])
def open_item(request: AuthedRequest) -> HttpResponse:
    if not break_glass.may_break_glass(request.user):
        raise PermissionDenied
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                grant = break_glass.open_break_glass(
                    user=request.user,
                    code=form.cleaned_data["item"],
                    reason=form.cleaned_data["reason"],
                    now=timezone.now(),
                )
                record_access(
                    request,
                    action="break_glass_opened",
                    practice=grant.practice,
                    patient_ids=[grant.item.patient_id],
                    obj=grant.item,
                    detail=grant.reason,
                )
        except break_glass.BreakGlassRefused as exc:
            form.add_error(None, str(exc))
        else:
            until = grant.expires_at.astimezone(zone(grant.practice.timezone)).strftime("%H:%M")
            messages.warning(
                request,
                f"Emergency access to this item until {until} ({grant.practice.name} time), "
                "read-only. The practice's admins have been told, with your reason.",
            )
            return redirect("queue:item", code=grant.item.code)
    context = {"form": form, "minutes": break_glass.BREAK_GLASS_MINUTES}
    return render(request, "queue_app/break_glass.html", context)


@login_required
@require_GET
def log(request: AuthedRequest, slug: str) -> HttpResponse:
    practice = access.get_practice_for_user(request.user, slug, access.PLAYBOOK)
    grants = break_glass.grants_for(practice=practice)
    record_access(
        request,
        action="break_glass_log_view",
        practice=practice,
        patient_ids=[grant.item.patient_id for grant in grants],
    )
    context = {"practice": practice, "grants": grants, "now": timezone.now()}
    return render(request, "queue_app/break_glass_log.html", context)
