"""The one poll of an open page: has anything it shows changed?

Every 10 s the page sends the marker of each live part it shows (static/js/live.js): the
queue's rows, the open item's conversation and who else is in it, the alert banner. The
answer is 204 when none changed; otherwise it names the parts that did in HX-Trigger
("queue-stale", ...), and only those fetch themselves from their own views, which draw and
audit them as before. It also says "I am here" for the open item, as the heartbeat did. One
request a screen instead of four, each of which paid what any signed-in request costs (the
session, the user, the second factor, the roles).
"""

from datetime import datetime
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest, QueryDict
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from queue_app import access, changes, selectors
from queue_app.presence import others_present, presence_mark, record_presence
from queue_app.views.common import AuthedRequest, request_roles


@login_required
@require_POST
def live(request: AuthedRequest) -> HttpResponse:
    sent = request.POST
    try:
        code = UUID(sent["item"]) if sent.get("item") else None
    except ValueError:
        return HttpResponseBadRequest()
    now = timezone.now()
    stale = changed_lists(request, sent, now)
    if code:
        stale += changed_in_item(request, code, sent, now)
    if not stale:
        return HttpResponse(status=204)  # htmx swaps nothing, nothing was shown or read
    response = HttpResponse()
    for part in stale:
        trigger_client_event(response, f"{part}-stale")
    return response


def changed_lists(request: AuthedRequest, sent: QueryDict, now: datetime) -> list[str]:
    """The queue's rows and the alert banner, from the practices' change marks alone."""
    if "queue" not in sent and "alerts" not in sent:
        return []
    roles = request_roles(request)
    stale = []
    if "queue" in sent:
        marker = changes.queue_marker(practice_ids=roles.practice_ids(access.WORK))
        if sent["queue"] != marker:
            stale.append("queue")
    if "alerts" in sent:
        marker = changes.banner_marker(
            user_id=request.user.pk,
            work_ids=roles.practice_ids(access.WORK),
            handle_ids=roles.practice_ids(access.ESCALATIONS),
            now=now,
        )
        if sent["alerts"] != marker:
            stale.append("alerts")
    return stale


def changed_in_item(
    request: AuthedRequest, code: UUID, sent: QueryDict, now: datetime
) -> list[str]:
    """The open item's conversation and presence; the person is marked as there."""
    try:
        item = access.get_item_for_user(request.user, code, poll=True, roles=request_roles(request))
    except Http404:
        return []  # no longer theirs to read: the panel says so when they next act in it
    stale = []
    if "conversation" in sent and sent["conversation"] != selectors.timeline_marker(item=item):
        stale.append("conversation")
    if "presence" in sent and item.is_open:
        typing = sent.get("typing") == "1"
        record_presence(item=item, user=request.user, typing=typing, now=now)
        others = others_present(item=item, user=request.user, now=now)
        if sent["presence"] != presence_mark(others):
            stale.append("presence")
    return stale
