"""The composer in the item panel: what it shows, and its live check of free text."""

from datetime import datetime
from uuid import UUID, uuid4

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from queue_app import access
from queue_app.forms import ComposeForm
from queue_app.models import Message, WorkItem
from queue_app.services import composing
from queue_app.views.common import AuthedRequest

PARTIAL = "queue_app/partials/_composer.html"


def composer_context(
    item: WorkItem,
    now: datetime,
    sent: list[Message],
    *,
    form: ComposeForm | None = None,
    refusal: Exception | None = None,
) -> dict:
    """The picker's options with a sensible default, and, after a refusal, what was typed."""
    options = composing.composer_options(item=item, now=now, sent=sent)
    data = form.data if form is not None else {}
    selected = data.get("choice") or composing.default_choice(options, item)
    text = data.get("text", "")
    channel = data.get("channel") or (
        item.channel if item.channel in composing.WRITTEN else Message.Channel.SMS
    )
    check = None
    if text.strip():
        check = composing.check_text(text=text, channel=channel, language=item.language)
    typed = form.typed() if form is not None else {}
    fields = getattr(refusal, "fields", {})
    for option in options:
        option.inputs = [
            {
                **entry,
                "value": typed.get(str(entry["index"]), "") if option.key == selected else "",
                "error": fields.get(entry["name"], "") if option.key == selected else "",
            }
            for entry in option.missing_inputs
        ]
    return {
        "options": options,
        "selected": selected,
        "free": composing.FREE,
        "text": text,
        "channel": channel,
        "check": check,
        # A refused compose keeps its token: nothing was stored under it.
        "token": data.get("token") if refusal is not None else uuid4(),
        "error": str(refusal) if refusal is not None else "",
        "issues": getattr(refusal, "issues", []),
    }


@login_required
@require_POST
def compose_check(request: AuthedRequest, code: UUID) -> HttpResponse:
    """The lint of the text as typed (POST: the text never goes into a URL)."""
    item = access.get_item_for_user(request.user, code, write=True)
    form = ComposeForm(request.POST)
    text, channel = form.data.get("text", ""), form.data.get("channel", "")
    check = None
    if text.strip():
        check = composing.check_text(text=text, channel=channel, language=item.language)
    return render(request, f"{PARTIAL}#compose-lint", {"compose": {"check": check}})
