"""The item panel's merge / link widget: a duplicate merged into this item, related items linked."""

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from queue_app import access
from queue_app.audit import record_access
from queue_app.forms import OtherItemForm
from queue_app.item_relations import item_relations
from queue_app.models import WorkItem
from queue_app.services import merging
from queue_app.services.shared import ActionRefused
from queue_app.views.common import AuthedRequest, request_roles
from queue_app.views.item import render_panel


@login_required
@require_GET
def item_links(request: AuthedRequest, code: UUID) -> HttpResponse:
    item = access.get_item_for_user(request.user, code)
    relations = item_relations(item=item)
    shown = [item, *relations.merged, *relations.linked, *(c for c, _ in relations.candidates)]
    record_access(
        request,
        action="item_links",
        practice=item.practice,
        patient_ids=[row.patient_id for row in shown],
        obj=item,
    )
    context = {
        "item": item,
        "relations": relations,
        "can_work": request_roles(request).can(item.practice_id, access.WORK),
    }
    template = "queue_app/item_links.html"
    return render(request, f"{template}#links-widget" if request.htmx else template, context)


def act_on_pair(
    request: AuthedRequest,
    code: UUID,
    action: Callable[[WorkItem, WorkItem, datetime], object],
    *,
    notice: str,
) -> HttpResponse:
    """Both items writable by this person (another practice's is a 404), then the service."""
    item = access.get_item_for_user(request.user, code, write=True)
    form = OtherItemForm(request.POST)
    if not form.is_valid():
        raise Http404
    other = access.get_item_for_user(request.user, form.cleaned_data["other"], write=True)
    try:
        action(item, other, timezone.now())
    except ActionRefused as exc:
        if request.htmx:
            return render_panel(request, item, error=str(exc))
        messages.error(request, str(exc))
        return redirect("queue:item", code=item.code)
    name = request.resolver_match.url_name.replace("-", "_")
    for row in (item, other):
        record_access(
            request, action=name, practice=row.practice, patient_ids=[row.patient_id], obj=row
        )
    item.refresh_from_db()
    if request.htmx:
        return render_panel(request, item, notice=notice)
    messages.success(request, notice)
    return redirect("queue:item", code=item.code)


@login_required
@require_POST
def merge(request: AuthedRequest, code: UUID) -> HttpResponse:
    """Merge the posted duplicate into this item (this one survives)."""
    return act_on_pair(
        request,
        code,
        lambda item, other, now: merging.merge_items(
            duplicate=other, survivor=item, actor=request.user, now=now
        ),
        notice="Merged: the duplicate's messages are here now, and it is closed.",
    )


@login_required
@require_POST
def link(request: AuthedRequest, code: UUID) -> HttpResponse:
    return act_on_pair(
        request,
        code,
        lambda item, other, now: merging.link_items(
            item=item, other=other, actor=request.user, now=now
        ),
        notice="Linked: each item now shows the other.",
    )


@login_required
@require_POST
def unlink(request: AuthedRequest, code: UUID) -> HttpResponse:
    return act_on_pair(
        request,
        code,
        lambda item, other, now: merging.unlink_items(
            item=item, other=other, actor=request.user, now=now
        ),
        notice="Unlinked.",
    )
