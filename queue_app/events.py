"""The one writer of a work item's audit trail (`ItemEvent`): every app records through here.

A person acts as `actor`; a worker, webhook or watcher acts as a named `service`. The database
refuses a row with both or neither (`item_event_named_actor`), so this never guesses one.
Being the one writer, it also tells open queue screens that the item changed (queue_app.changes).
"""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User

from queue_app import changes
from queue_app.models import ItemEvent, WorkItem


def _row(
    item_id: int, kind: str, now: datetime, actor: User | None, service: str, before, after
) -> ItemEvent:
    return ItemEvent(
        item_id=item_id,
        actor=actor,
        service="" if actor is not None else service,
        kind=kind,
        before=before or {},
        after=after or {},
        created=now,
    )


def record_item_event(
    *,
    item: WorkItem | int,
    kind: str,
    now: datetime,
    actor: User | None = None,
    service: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> ItemEvent:
    """Append one event to an item's trail, named by its actor or its service."""
    item_id = item if isinstance(item, int) else item.pk
    event = _row(item_id, kind, now, actor, service, before, after)
    event.save(force_insert=True)
    changes.items_changed([item])
    return event


def record_item_events(
    *, item_ids: Iterable[int], kind: str, now: datetime, service: str, after: dict | None = None
) -> list[ItemEvent]:
    """The same service event on many items at once (deadline watchers), in one insert."""
    events = ItemEvent.objects.bulk_create(
        _row(item_id, kind, now, None, service, None, after) for item_id in item_ids
    )
    changes.items_changed(event.item_id for event in events)
    return events
