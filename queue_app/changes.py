"""Change marks: how an open queue screen asks "anything new?" without reading the queue.

Each practice has a mark in the shared cache (Redis in production), a random token renewed
after every commit that recorded an event on one of its items. Every change a queue row shows
records one (claims, sends, escalations, new items, deadline flags: queue_app.events is the
one writer of that trail), so the poll compares the marks of the practices it shows with the
ones its rows were drawn under and answers 204 when they are the same: one cache read, no
query of the queue, whatever its size. A lost or flushed mark only changes the answer, so it
costs one full refresh, never a missed change; a change that records no event (a patient's
name edited, a reply held by quiet hours going out) shows at the next minute's redraw.

The alert banner of every signed-in page asks the same of the practices it shows (every
escalation step and every alert raised or answered records an item event too), plus a mark of
the person's own, renewed when they dismiss an alert (`person_changed`).
"""

import hashlib
from collections.abc import Iterable
from datetime import datetime
from functools import partial
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from queue_app.models import WorkItem

# A mark outlives any screen; if it expires anyway, the screens redraw once.
MARK_SECONDS = 7 * 24 * 3600
# What a queue row shows of its patient: a change to these records no item event.
NAME_FIELDS = frozenset({"first_name", "last_name"})


def _key(practice_id: int) -> str:
    return f"queue-mark:{practice_id}"


def _person_key(user_id: int) -> str:
    return f"person-mark:{user_id}"


def items_changed(items: Iterable[WorkItem | int]) -> None:
    """Renew the marks of these items' practices when the transaction commits (at once outside
    one): a poll that reads a new mark then also reads the change."""
    items = list(items)
    practice_ids = {item.practice_id for item in items if isinstance(item, WorkItem)}
    item_ids = {item for item in items if not isinstance(item, WorkItem)}
    # robust: the change is committed whatever the cache says; a mark not renewed only
    # delays the screens to their next minute.
    transaction.on_commit(partial(_renew, practice_ids, item_ids), robust=True)


def _renew(practice_ids: set[int], item_ids: set[int]) -> None:
    if item_ids:
        found = WorkItem.objects.filter(pk__in=item_ids).values_list("practice_id", flat=True)
        practice_ids = practice_ids | set(found)
    renew_marks(practice_ids)


def practices_changed(practice_ids: Iterable[int]) -> None:
    """Renew these practices' marks when the transaction commits: for a change their queue
    rows show that records no item event (a patient renamed by an import)."""
    transaction.on_commit(partial(renew_marks, set(practice_ids)), robust=True)


def renew_marks(practice_ids: Iterable[int]) -> None:
    token = uuid4().hex
    cache.set_many({_key(pk): token for pk in practice_ids}, timeout=MARK_SECONDS)


def person_changed(user_id: int) -> None:
    """Renew the person's own mark when the transaction commits: what the banner shows them
    alone (their alerts) changed without an item event."""
    renew = partial(cache.set, _person_key(user_id), uuid4().hex, timeout=MARK_SECONDS)
    transaction.on_commit(renew, robust=True)


def queue_marker(*, practice_ids: Iterable[int]) -> str:
    """An ETag for the queue rows of these practices: it changes when one of their marks is
    renewed. Read it before the rows, so that a change committed in between leaves the rows
    older than their marker, never the reverse."""
    return _marker([_key(pk) for pk in sorted(practice_ids)])


def banner_marker(
    *, user_id: int, work_ids: Iterable[int], handle_ids: Iterable[int], now: datetime
) -> str:
    """An ETag for the alert banner of this person: it changes with the marks of the practices
    they work or handle escalations in, with their own mark, with those roles (the banner's
    links depend on them) and every settings.BANNER_REDRAW_SECONDS: an urgent alert whose
    mark was lost on its way to the cache (a failed write after the commit) still shows
    within that time. The banner prints no relative time; this is its safety net only."""
    work, handle = sorted(set(work_ids)), sorted(set(handle_ids))
    keys = [_key(pk) for pk in sorted(set(work) | set(handle))] + [_person_key(user_id)]
    period = int(now.timestamp()) // settings.BANNER_REDRAW_SECONDS
    return _marker(keys, extra=f"work={work};handle={handle}", period=f"{period}-")


def _marker(keys: list[str], *, extra: str = "", period: str = "") -> str:
    marks = cache.get_many(keys)
    state = ";".join(f"{key}={marks.get(key, '')}" for key in keys) + extra
    digest = hashlib.blake2b(state.encode(), digest_size=10).hexdigest()
    return f'"{period}{digest}"'
