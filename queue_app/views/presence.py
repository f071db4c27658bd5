"""The open item panel's "I am here (typing)", answered with who else is: on opening, when
typing starts, and when the page's one poll (views/live.py) finds the others changed."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.loader import get_template
from django.utils import timezone
from django.views.decorators.http import require_POST

from queue_app import access
from queue_app.presence import others_present, presence_mark, record_presence
from queue_app.views.common import AuthedRequest


@login_required
@require_POST
def presence(request: AuthedRequest, code: UUID) -> HttpResponse:
    # Colleagues' names only, no patient detail: the heartbeat is not a view of the record
    # and is not audited (the panel that polls it was).
    item = access.get_item_for_user(request.user, code, poll=True)
    now = timezone.now()
    typing = request.POST.get("typing") == "1" and item.is_open
    record_presence(item=item, user=request.user, typing=typing, now=now)
    others = others_present(item=item, user=request.user, now=now)
    # Without the request's context processors (the navigation's roles, the security
    # alerts): the line needs none of them. Its mark goes back with the page's one poll.
    line = get_template("queue_app/partials/_presence_line.html")
    return HttpResponse(line.render({"others": others, "mark": presence_mark(others)}))
