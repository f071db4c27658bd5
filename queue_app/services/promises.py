"""Promises made to a patient on an item (the next update by a time, a callback), tracked
until kept or broken.

A promise is made in the same transaction as the follow-up that records it. The assistant
keeps every open promise of an item by acting on it before the promise's time: a message
sent, a call logged, the item resolved (`keep_promises`, called from the one place these
actions pass through, `working.acted_on`). A promise whose time passes unkept is broken
once by the periodic job (`break_overdue_promises`): the item rises in the queue and its
trail says so.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F

from queue_app.clock import zone
from queue_app.events import record_item_event
from queue_app.models import Promise, WorkItem

# How far a broken promise raises its item: above the routine queue, below a complaint.
BROKEN_PRIORITY = 8
SERVICE = "promise-watch"
# The item events of the actions that keep a promise (see working.acted_on).
# A message held until after quiet hours keeps nothing: it goes out later.
ACTIONS = ("response_queued", "call_logged", "resolved")
# One run breaks at most this many; the next run takes the rest.
BATCH = 500


def make_promise(
    *, item: WorkItem, kind: str, due_at: datetime, actor: User | None, now: datetime
) -> Promise:
    """Record a promise due at `due_at`; the caller holds the item's lock."""
    return Promise.objects.create(item=item, kind=kind, due_at=due_at, made_by=actor, made_at=now)


def keep_promises(*, item: WorkItem, action: str, now: datetime) -> int:
    """The assistant acted on the item (`action` is the event's kind): every promise still
    open and not yet due is kept. One already past its time stays for the job to break."""
    if action not in ACTIONS:
        return 0
    return Promise.objects.filter(
        item_id=item.pk, kept_at=None, broken_at=None, due_at__gte=now
    ).update(kept_at=now, kept_by_action=action)


def break_overdue_promises(*, now: datetime) -> int:
    """Break each promise past its time and unkept, exactly once: raise its item, record it."""
    ids = list(
        Promise.objects.filter(kept_at=None, broken_at=None, due_at__lt=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    return sum(_break(pk, now) for pk in ids)


@transaction.atomic
def _break(promise_id: int, now: datetime) -> int:
    promise = (
        Promise.objects.select_for_update(skip_locked=True)
        .select_related("item__practice")
        .filter(pk=promise_id, kept_at=None, broken_at=None)
        .first()
    )
    if promise is None:  # kept, broken by another run, or being broken now
        return 0
    Promise.objects.filter(pk=promise.pk).update(broken_at=now)
    item = promise.item
    if item.status != WorkItem.Status.RESOLVED:
        WorkItem.objects.filter(pk=item.pk).update(
            priority=F("priority") + BROKEN_PRIORITY, version=F("version") + 1, updated=now
        )
    record_item_event(
        item=item,
        kind="promise_broken",
        now=now,
        service=SERVICE,
        after={"promise": promise.pk, "kind": promise.kind, "due_at": promise.due_at.isoformat()},
    )
    return 1


@dataclass(frozen=True)
class BrokenPromise:
    kind: str
    due_at: datetime

    def sentence(self, tz: str) -> str:
        """What the item panel says, in the practice's time."""
        due = self.due_at.astimezone(zone(tz))
        what = "follow-up" if self.kind == Promise.Kind.FOLLOW_UP else "callback"
        return f"Promise broken: {what} due {due:%a %H:%M} not done."


def broken_promises(item: WorkItem) -> list[BrokenPromise]:
    """The item's broken promises that no action has answered since, oldest first: once the
    assistant acts on the item, even late, the panel stops saying it was not done."""
    rows = item.promises.filter(broken_at__isnull=False).order_by("due_at")
    last_action = (
        item.events.filter(kind__in=ACTIONS)
        .order_by("-created")
        .values_list("created", flat=True)
        .first()
    )
    if last_action is not None:
        rows = rows.filter(due_at__gt=last_action)
    return [BrokenPromise(p.kind, p.due_at) for p in rows]
