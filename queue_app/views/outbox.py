"""The dev outbox: what the app sent or would have sent, newest first."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from queue_app import access
from queue_app.audit import record_access
from queue_app.models import Message
from queue_app.views.common import PAGE_SIZE, AuthedRequest, CappedPaginator


@login_required
@require_GET
def outbox(request: AuthedRequest) -> HttpResponse:
    practices = access.visible_practices(request.user)
    working = set(access.practices_for(request.user, access.WORK).values_list("pk", flat=True))
    messages = (
        Message.objects.filter(practice__in=practices, direction=Message.Direction.OUTBOUND)
        .select_related("practice", "patient", "item", "template", "sent_by")
        # Newest first by id: an index scan, where ordering by time would sort every row.
        .order_by("-id")
    )
    page = CappedPaginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for message in rows:
        message.show_body = message.practice_id in working
        message.display_name = (
            message.patient.display_name(message.practice.name_policy) if message.patient else ""
        )
        message.to_tail = message.to_number[-4:] if message.to_number else ""
    record_access(
        request, action="outbox_view", practice=None, patient_ids=[m.patient_id for m in rows]
    )
    return render(request, "queue_app/outbox.html", {"page": page, "rows": rows})
