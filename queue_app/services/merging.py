"""Merging a duplicate item into another, and linking related items.

The rules a merge keeps (each refusal is shown to the person as it is):
- both items belong to one practice and one patient; an item with nobody on file cannot be
  merged (identify the caller first), and two patients' conversations are never mixed;
- never an item into itself;
- both items are open: a resolved item is history (merging it would rewrite a closed
  record), and a resolved survivor would bury the patient's new request;
- the duplicate has no open escalation: a route is working it, so merge the other way;
- the survivor keeps the more pressing boundary and priority of the two, never a lower one.

The duplicate's messages move to the survivor, and so do its promises still open (the
patient was promised them; the survivor's owner now keeps them). Its trail (ItemEvent) is
append-only in the database, so its events stay where they happened and each is copied onto
the survivor's trail as a `merged_event` naming the duplicate; the duplicate is resolved with
a pointer to the survivor (`merged_into`). Notes, calls and escalations stay with the item
they document.
"""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from queue_app.events import record_item_event
from queue_app.models import ItemLink, Message, Promise, WorkItem
from queue_app.services.intake import BOUNDARY_RANK
from queue_app.services.shared import ActionRefused, refreshed


def _locked_pair(first: WorkItem, second: WorkItem) -> tuple[WorkItem, WorkItem]:
    """Both rows locked, in id order so that two merges of the same pair cannot deadlock."""
    rows = {
        row.pk: row
        for row in WorkItem.objects.select_for_update(of=("self",))
        .select_related("practice", "patient", "moment")
        .filter(pk__in=sorted([first.pk, second.pk]))
        .order_by("pk")
    }
    return rows[first.pk], rows[second.pk]


def merge_refusal(duplicate: WorkItem, survivor: WorkItem) -> str:
    """Why these two items may not be merged, or "" when they may."""
    if duplicate.pk == survivor.pk:
        return "An item cannot be merged into itself."
    if duplicate.practice_id != survivor.practice_id:
        return "Only items of the same practice can be merged."
    if duplicate.patient_id is None or survivor.patient_id is None:
        return "Identify the patient on both items before merging them."
    if duplicate.patient_id != survivor.patient_id:
        return "These items are about different patients; link them instead."
    if not duplicate.is_open:
        return "The duplicate is already resolved; it cannot be merged."
    if not survivor.is_open:
        return "Merge into an open item: this one is resolved."
    return ""


@transaction.atomic
def merge_items(*, duplicate: WorkItem, survivor: WorkItem, actor: User, now: datetime) -> WorkItem:
    """Move the duplicate's messages into the survivor and close the duplicate, pointing at it."""
    dup, keep = _locked_pair(duplicate, survivor)
    refusal = merge_refusal(dup, keep)
    if not refusal and dup.escalations.exclude(status="resolved").exists():
        refusal = "The duplicate has an open escalation; merge the other way round."
    if refusal:
        raise ActionRefused(refusal)
    dup_code = str(dup.code)
    moved = list(Message.objects.filter(item=dup).order_by("created", "id"))
    Message.objects.filter(pk__in=[m.pk for m in moved]).update(item=keep, updated=now)
    Promise.objects.filter(item=dup, kept_at=None, broken_at=None).update(item=keep)
    _copy_trail(dup, keep, actor, now)
    WorkItem.objects.filter(pk=dup.pk).update(
        status=WorkItem.Status.RESOLVED,
        resolved_at=max(now, dup.received_at),
        merged_into=keep,
        version=F("version") + 1,
        updated=now,
    )
    record_item_event(
        item=dup,
        kind="merged_into",
        now=now,
        actor=actor,
        before={"status": dup.status},
        after={"status": WorkItem.Status.RESOLVED, "into": str(keep.code)},
    )
    _keep_the_more_pressing_boundary(dup, keep, actor, now)
    inbound = [str(m.code) for m in moved if m.direction == Message.Direction.INBOUND]
    record_item_event(
        item=keep,
        kind="merged_in",
        now=now,
        actor=actor,
        after={
            "from": dup_code,
            "messages": [str(m.code) for m in moved],
            # The duplicate's words show in the survivor's conversation when no inbound
            # message carried them (a call, a walk-in, a voicemail placeholder).
            "words_only": not inbound,
        },
    )
    return refreshed(survivor)


def _copy_trail(dup: WorkItem, keep: WorkItem, actor: User, now: datetime) -> None:
    """The duplicate's events, copied onto the survivor's trail (the originals are
    append-only and stay where they happened), each naming the duplicate and its time."""
    dup_code = str(dup.code)
    for event in dup.events.order_by("created", "id"):
        record_item_event(
            item=keep,
            kind="merged_event",
            now=now,
            actor=actor,
            before=event.before,
            after={
                "from": dup_code,
                "kind": event.kind,
                "at": event.created.isoformat(),
                "by": event.actor_id or event.service,
                "after": event.after,
            },
        )


def _keep_the_more_pressing_boundary(
    dup: WorkItem, keep: WorkItem, actor: User, now: datetime
) -> None:
    if BOUNDARY_RANK[dup.boundary] <= BOUNDARY_RANK[keep.boundary]:
        return
    reason = f"{dup.get_boundary_display()} on a merged duplicate"
    WorkItem.objects.filter(pk=keep.pk).update(
        boundary=dup.boundary,
        priority=max(keep.priority, dup.priority),
        triage_reasons=[reason, *keep.triage_reasons],
        version=F("version") + 1,
        updated=now,
    )
    record_item_event(
        item=keep,
        kind="boundary_merged",
        now=now,
        actor=actor,
        before={"boundary": keep.boundary},
        after={"boundary": dup.boundary, "from": str(dup.code)},
    )


@transaction.atomic
def link_items(*, item: WorkItem, other: WorkItem, actor: User, now: datetime) -> ItemLink:
    """Link two related items of one practice (both ways); linking twice is refused."""
    if item.pk == other.pk:
        raise ActionRefused("An item cannot be linked to itself.")
    if item.practice_id != other.practice_id:
        raise ActionRefused("Only items of the same practice can be linked.")
    first, second = sorted([item, other], key=lambda row: row.pk)
    try:
        with transaction.atomic():
            link = ItemLink.objects.create(
                practice_id=item.practice_id,
                first=first,
                second=second,
                created_by=actor,
                created=now,
            )
    except IntegrityError:
        raise ActionRefused("These items are already linked.") from None
    for one, to in ((item, other), (other, item)):
        record_item_event(
            item=one, kind="linked", now=now, actor=actor, after={"item": str(to.code)}
        )
    return link


@transaction.atomic
def unlink_items(*, item: WorkItem, other: WorkItem, actor: User, now: datetime) -> None:
    """Remove the link between two items; both trails record it."""
    pair = Q(first=item, second=other) | Q(first=other, second=item)
    deleted, _ = ItemLink.objects.filter(pair).delete()
    if not deleted:
        raise ActionRefused("These items are not linked.")
    for one, to in ((item, other), (other, item)):
        record_item_event(
            item=one, kind="unlinked", now=now, actor=actor, after={"item": str(to.code)}
        )
