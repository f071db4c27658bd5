"""Who else has an item open, and whether they are typing in it.

Each open item panel says "I am here" every few seconds; the mark lives in the shared cache
(Redis in production) for PRESENCE_SECONDS, one key per person and item, so a closed panel
disappears on its own and no web process keeps any of it in memory. Only people who may read
the practice's items are ever looked up, so a name from another practice cannot show.
The marks hold no patient data: the item's code, a time and a flag.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.cache import cache

from queue_app import access
from queue_app.models import WorkItem
from queue_app.services.shared import holder_name

PRESENCE_SECONDS = 30


@dataclass(frozen=True)
class Presence:
    name: str
    typing: bool


def _key(item: WorkItem, user_id: int) -> str:
    return f"presence:{item.code}:{user_id}"


def record_presence(*, item: WorkItem, user: User, typing: bool, now: datetime) -> None:
    """Mark the user as looking at the item (and typing in it) for the next few seconds."""
    mark = {"seen": now.timestamp(), "typing": typing}
    cache.set(_key(item, user.pk), mark, timeout=PRESENCE_SECONDS)


def others_present(*, item: WorkItem, user: User, now: datetime) -> list[Presence]:
    """The other people of the item's practice looking at it now, by name."""
    readers = access.people_holding(item.practice_id, [access.WORK, access.ESCALATIONS])
    people = {person.pk: person for person in readers if person.pk != user.pk}
    marks = cache.get_many([_key(item, pk) for pk in people])
    since = (now - timedelta(seconds=PRESENCE_SECONDS)).timestamp()
    present = []
    for pk, person in people.items():
        mark = marks.get(_key(item, pk))
        if mark and mark["seen"] > since:
            present.append(Presence(holder_name(person), bool(mark["typing"])))
    return sorted(present, key=lambda p: p.name)


def presence_mark(others: list[Presence]) -> str:
    """What an open panel shows of the others, in short: the screen's one poll sends it back,
    and the line is drawn again only when it differs. Empty when nobody else is there."""
    if not others:
        return ""
    shown = ";".join(f"{person.name}={person.typing}" for person in others)
    return hashlib.blake2b(shown.encode(), digest_size=8).hexdigest()
