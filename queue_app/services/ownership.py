"""Ownership: no item waits without an owner, and two people never own the same one."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F

from queue_app import access
from queue_app.events import record_item_event
from queue_app.models import Practice, StaffProfile, WorkItem
from queue_app.selectors import QueueFilters, assignment_candidates, queue_items
from queue_app.services.shared import (
    ActionRefused,
    ItemNotClaimable,
    holder_name,
    locked,
    refreshed,
    require_owner,
)


@transaction.atomic
def assign_new_item(*, item: WorkItem, now: datetime) -> WorkItem:
    """Round robin among assistants on shift who cover the language, under the cap.

    Nobody available: the item stays unowned and is raised to the manager.
    """
    # One assignment at a time per practice, so two intakes never push a person past the cap.
    Practice.objects.select_for_update().filter(pk=item.practice_id).first()
    locked(item)
    refreshed(item)
    if item.owner_id is not None or item.status not in (
        WorkItem.Status.NEW,
        WorkItem.Status.ESCALATED,
    ):
        return item
    for user in assignment_candidates(practice=item.practice, language=item.language, now=now):
        status = WorkItem.Status.ASSIGNED if item.status == WorkItem.Status.NEW else item.status
        changed = WorkItem.objects.filter(pk=item.pk, owner=None, version=item.version).update(
            owner=user, status=status, version=F("version") + 1, updated=now
        )
        if changed:
            record_item_event(
                item=item,
                kind="assigned",
                now=now,
                service="assignment",
                before={"status": item.status},
                after={"status": status, "owner": user.pk},
            )
            return refreshed(item)
    if item.raised_to_manager_at is None:
        WorkItem.objects.filter(pk=item.pk, raised_to_manager_at=None).update(
            raised_to_manager_at=now, updated=now
        )
        record_item_event(
            item=item,
            kind="raised_to_manager",
            now=now,
            service="assignment",
            after={"reason": "nobody on shift covers this language under the cap"},
        )
    return refreshed(item)


@transaction.atomic
def claim_item(*, item: WorkItem, actor: User, now: datetime) -> WorkItem:
    """Take an unowned item. Two simultaneous claims give one owner; the other learns who."""
    if not access.user_can(actor, item.practice, access.WORK):
        raise ActionRefused("You do not work this practice's queue.")
    # The conditional UPDATE takes the row lock: a second claim waits for the first to
    # commit, re-reads the row, finds an owner and updates nothing.
    claimed = WorkItem.objects.filter(pk=item.pk, owner=None, status=WorkItem.Status.NEW).update(
        owner=actor, status=WorkItem.Status.ASSIGNED, version=F("version") + 1, updated=now
    )
    before = WorkItem.Status.NEW
    if not claimed:
        claimed = WorkItem.objects.filter(
            pk=item.pk, owner=None, status=WorkItem.Status.ESCALATED
        ).update(owner=actor, version=F("version") + 1, updated=now)
        before = WorkItem.Status.ESCALATED
    if not claimed:
        fresh = WorkItem.objects.select_related("owner").get(pk=item.pk)
        if fresh.owner_id == actor.pk:
            raise ItemNotClaimable("You already have this item.", holder=actor)
        if fresh.status == WorkItem.Status.RESOLVED:
            raise ItemNotClaimable("This item is already resolved.")
        raise ItemNotClaimable(
            f"{holder_name(fresh.owner)} already has this item.", holder=fresh.owner
        )
    record_item_event(
        item=item,
        kind="claimed",
        now=now,
        actor=actor,
        before={"status": before, "owner": None},
        after={"status": item.status if before == "escalated" else "assigned", "owner": actor.pk},
        service="queue",
    )
    return refreshed(item)


# How many of the most pressing unowned items "take next" tries before saying there is none:
# each one may be taken by a colleague between reading the queue and claiming it.
TAKE_NEXT_TRIES = 20


def take_next(*, actor: User, now: datetime) -> WorkItem | None:
    """Claim the most pressing unowned item the actor may work, in a language they cover.

    The queue's own order decides; a colleague who claims the same item first wins it, and
    the next one is tried. None when nothing is left to take.
    """
    profile = StaffProfile.objects.filter(user=actor).first()
    candidates = queue_items(
        user=actor, filters=QueueFilters(scope="unassigned"), now=now
    ).filter(status__in=[WorkItem.Status.NEW, WorkItem.Status.ESCALATED])
    if profile and profile.languages:
        candidates = candidates.filter(language__in=profile.languages)
    for item in candidates[:TAKE_NEXT_TRIES]:
        try:
            return claim_item(item=item, actor=actor, now=now)
        except ItemNotClaimable:
            continue
    return None


@transaction.atomic
def release_item(*, item: WorkItem, actor: User, now: datetime) -> WorkItem:
    """Give an item back to the queue; only its owner can."""
    fresh = locked(item)
    require_owner(fresh, actor)
    status = WorkItem.Status.ESCALATED if fresh.status == "escalated" else WorkItem.Status.NEW
    WorkItem.objects.filter(pk=item.pk, owner=actor, version=fresh.version).update(
        owner=None, status=status, version=F("version") + 1, updated=now
    )
    record_item_event(
        item=item,
        kind="released",
        now=now,
        actor=actor,
        before={"status": fresh.status, "owner": actor.pk},
        after={"status": status, "owner": None},
        service="queue",
    )
    return refreshed(item)


@transaction.atomic
def reassign_item(*, item: WorkItem, actor: User, to: User, now: datetime) -> WorkItem:
    """A manager hands an open item to someone who works the practice (checked by the view)."""
    fresh = locked(item)
    if fresh.status == WorkItem.Status.RESOLVED:
        raise ActionRefused("This item is already resolved.")
    if not access.user_can(to, fresh.practice, access.WORK):
        raise ActionRefused(f"{holder_name(to)} does not work this practice's queue.")
    if fresh.owner_id == to.pk:
        raise ActionRefused(f"{holder_name(to)} already has this item.")
    status = WorkItem.Status.ASSIGNED if fresh.status == WorkItem.Status.NEW else fresh.status
    WorkItem.objects.filter(pk=item.pk, version=fresh.version).update(
        owner=to, status=status, version=F("version") + 1, updated=now
    )
    record_item_event(
        item=item,
        kind="reassigned",
        now=now,
        actor=actor,
        before={"status": fresh.status, "owner": fresh.owner_id},
        after={"status": status, "owner": to.pk},
        service="queue",
    )
    return refreshed(item)
