"""Work in progress kept on the server: what an assistant types is never lost to a session end.

Browser storage is out of the question (the text is about a patient), so the forms that
matter post what is typed while typing (`save_drafts`), and a form posted after the session
ended is held by `stash_post` until its author signs in again in place (`claim_stash`).
"""

from datetime import datetime, timedelta
from uuid import UUID

from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest
from django.urls import Resolver404, resolve

from notes.models import Draft, DraftStash
from queue_app import access
from queue_app.lanes import NOTE_ELEMENTS
from queue_app.models import WorkItem

NOTE_FIELDS = (*NOTE_ELEMENTS, "free_text")
# The forms whose typed text is kept: url name → the fields that hold it. Only these fields
# of these forms are ever stored, whatever else a request carries.
# The reply being written in the composer, in its own words.
REPLY_FIELDS = ("text",)
DRAFT_FORMS: dict[str, tuple[str, ...]] = {
    "notes:item-notes": NOTE_FIELDS,
    "notes:item-notes-check": NOTE_FIELDS,
    "queue:item-send": REPLY_FIELDS,
    "queue:item-compose-check": REPLY_FIELDS,
}
MAX_CHARS = 5000
KEEP_DRAFTS = timedelta(days=7)
# How long a stash waits for its sign-in: past this the token is refused and the row purged.
STASH_MAX_AGE = timedelta(hours=1)
SALT = "notes.drafts.stash"
NOT_ALLOWED = (Http404, PermissionDenied)


def drafts_for(*, user: User, item: WorkItem) -> dict[str, str]:
    """The user's unsaved text on the item, by field."""
    return dict(Draft.objects.filter(user=user, item=item).values_list("field", "text"))


def _lock_item(item: WorkItem) -> None:
    """Typing goes on while an action runs (a check posted as Resolve is pressed): drafts are
    written only under the item's row lock, taken first as the actions take it, so that a
    draft and an action never wait on each other in opposite orders (a deadlock, seen)."""
    list(WorkItem.objects.select_for_update(no_key=True).filter(pk=item.pk).values("pk"))


@transaction.atomic
def save_drafts(
    *, user: User, item: WorkItem, fields: dict[str, str], now: datetime, keep: dict[str, str]
) -> None:
    """Keep what the user typed, field by field; a field back to `keep[field]` (what the form
    would show anyway, e.g. its prefill) needs no draft and loses the one it had."""
    _lock_item(item)
    for name, text in fields.items():
        text = text[:MAX_CHARS]
        if text.strip() == (keep.get(name) or "").strip():
            Draft.objects.filter(user=user, item=item, field=name).delete()
        else:
            Draft.objects.update_or_create(
                user=user, item=item, field=name, defaults={"text": text, "updated": now}
            )


@transaction.atomic
def discard_drafts(*, user: User, item: WorkItem, fields: tuple[str, ...] = NOTE_FIELDS) -> None:
    """The form was saved (the note, or the reply): its drafts have done their job."""
    _lock_item(item)
    Draft.objects.filter(user=user, item=item, field__in=fields).delete()


def posted_draft(request: HttpRequest) -> tuple[UUID, dict[str, str]] | None:
    """The item and the typed fields of a POST to one of `DRAFT_FORMS`, or None."""
    if request.method != "POST":
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    names = DRAFT_FORMS.get(match.view_name)
    code = match.kwargs.get("code")
    if not names or not isinstance(code, UUID):
        return None
    fields = {n: request.POST[n][:MAX_CHARS] for n in names if request.POST.get(n, "").strip()}
    return (code, fields) if fields else None


def keep_for_user(*, user: User, code: UUID, fields: dict[str, str], now: datetime) -> None:
    """Keep a posted form as the user's drafts, if the user may work the item at all."""
    try:
        item = access.get_item_for_user(user, code, write=True)
    except NOT_ALLOWED:
        return
    save_drafts(user=user, item=item, fields=fields, now=now, keep={})


def stash_post(*, code: UUID, fields: dict[str, str], now: datetime) -> str:
    """Hold text posted with no session; the returned token claims it after sign-in."""
    stash = DraftStash.objects.create(item_code=code, fields=fields, created=now)
    return signing.dumps(str(stash.key), salt=SALT)


def claim_stash(*, user: User, token: str, now: datetime) -> WorkItem | None:
    """Turn a stash into the signed-in user's drafts; None when the token is stale or forged,
    or the user may not work the item (the stash is dropped then: nobody else may claim it)."""
    try:
        key = signing.loads(token, salt=SALT, max_age=STASH_MAX_AGE)
    except signing.BadSignature:
        return None
    with transaction.atomic():
        stash = DraftStash.objects.select_for_update().filter(key=key).first()
        if stash is None:
            return None
        stash.delete()
    try:
        item = access.get_item_for_user(user, stash.item_code, write=True)
    except NOT_ALLOWED:
        return None
    save_drafts(user=user, item=item, fields=stash.fields, now=now, keep={})
    return item


def purge_drafts(*, now: datetime) -> int:
    """Delete drafts nobody came back to, and stashes nobody claimed."""
    drafts, _ = Draft.objects.filter(updated__lt=now - KEEP_DRAFTS).delete()
    stashes, _ = DraftStash.objects.filter(created__lt=now - STASH_MAX_AGE).delete()
    return drafts + stashes
