"""The composer in the item panel: what it shows, and its live check of free text."""

from datetime import datetime
from uuid import UUID, uuid4

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from notes import drafts
from queue_app import access
from queue_app.audit import record_access
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
    kept: str = "",
) -> dict:
    """The picker's options with a sensible default and, when the composer is drawn again
    (a refusal, a change beside it), what was typed and chosen; `kept` is a reply in the
    assistant's own words kept on the server (notes.drafts), which opens "Write your own"."""
    options = composing.composer_options(item=item, now=now, sent=sent)
    data = form.data if form is not None else {}
    if form is None and kept:
        data = {"text": kept, "choice": composing.FREE}
    default = composing.default_choice(options, item)
    # A choice left at the old default follows the new one (an escalation's holding script).
    chosen = data.get("choice")
    selected = default if not chosen or chosen == data.get("default") else chosen
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
        "default": default,
        "free": composing.FREE,
        # Email is offered only to a patient with an address on file.
        "email": Message.Channel.EMAIL in composing.offered_channels(item),
        "text": text,
        "channel": channel,
        "check": check,
        "token": kept_token(data.get("token")),
        "error": str(refusal) if refusal is not None else "",
        "issues": getattr(refusal, "issues", []),
    }


def render_composer(
    request: AuthedRequest,
    item: WorkItem,
    *,
    form: ComposeForm | None = None,
    refusal: Exception | None = None,
) -> HttpResponse:
    """The composer alone, for an htmx swap."""
    sent = list(
        item.messages.filter(direction=Message.Direction.OUTBOUND).order_by("-created")[:10]
    )
    context = {
        "item": item,
        "tz": item.practice.timezone,
        "verified": item.identity_verified_at is not None,
        "is_owner": item.owner_id == request.user.pk,
        "compose": composer_context(item, timezone.now(), sent, form=form, refusal=refusal),
    }
    return render(request, PARTIAL, context)


@login_required
@require_POST
def composer_refresh(request: AuthedRequest, code: UUID) -> HttpResponse:
    """The composer drawn again after a change beside it (an escalation offers its holding
    script), keeping what was typed: a POST, so the text never goes into a URL."""
    item = access.get_item_for_user(request.user, code)
    if not item.is_open or not access.user_can(request.user, item.practice, access.WORK):
        return HttpResponse("")  # nothing to compose any more: the composer goes
    record_access(
        request,
        action="item_composer",
        practice=item.practice,
        patient_ids=[item.patient_id],
        obj=item,
    )
    return render_composer(request, item, form=ComposeForm(request.POST))


def kept_token(raw: str | None) -> UUID:
    """A compose drawn again keeps its token (nothing was stored under it); a new compose,
    or a token that is not one, gets a fresh one."""
    try:
        return UUID(raw or "")
    except ValueError:
        return uuid4()


@login_required
@require_POST
def compose_check(request: AuthedRequest, code: UUID) -> HttpResponse:
    """The lint of the text as typed (POST: the text never goes into a URL)."""
    item = access.get_item_for_user(request.user, code, write=True)
    form = ComposeForm(request.POST)
    text, channel = form.data.get("text", ""), form.data.get("channel", "")
    # What is typed is kept on the server as it is typed: a session that ends loses nothing.
    drafts.save_drafts(
        user=request.user, item=item, fields={"text": text}, now=timezone.now(), keep={}
    )
    check = None
    if text.strip():
        check = composing.check_text(text=text, channel=channel, language=item.language)
    return render(request, f"{PARTIAL}#compose-lint", {"compose": {"check": check}})
