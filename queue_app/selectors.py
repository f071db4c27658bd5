"""Reads of the queue that change nothing: the queue list, who may take an item, the time of day."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet
from guardian.shortcuts import get_users_with_perms

from queue_app import access, patient_search
from queue_app.clock import DEFAULT_BLOCKS, current_rhythm_block, zone
from queue_app.models import (
    QUEUE_DUE,
    QUEUE_RANK,
    SENT_BACK,
    CallAttempt,
    ItemEvent,
    Message,
    Practice,
    StaffProfile,
    WorkItem,
    overdue_q,
)
from queue_app.search_terms import parse_query

OPEN = (
    WorkItem.Status.NEW,
    WorkItem.Status.ASSIGNED,
    WorkItem.Status.WAITING,
    WorkItem.Status.ESCALATED,
)


@dataclass
class QueueFilters:
    practice: str = ""
    moment: str = ""
    language: str = ""
    channel: str = ""
    status: str = ""
    scope: str = "everyone"  # mine / unassigned / everyone
    q: str = ""
    block: str = ""
    show: str = ""  # one of SHOWS' keys: the quick filters above the list


# The quick filters above the list, each with its count: what needs doing first leads.
SHOWS = ("", "overdue", "sent_back", "unassigned", "mine", "waiting")


def _show_condition(show: str, user: User, now: datetime) -> Q:
    return {
        "": Q(),
        "overdue": overdue_q(now),
        "sent_back": SENT_BACK,
        "unassigned": Q(owner=None),
        "mine": Q(owner=user),
        "waiting": Q(status=WorkItem.Status.WAITING),
    }[show]


def _filtered(
    *, user: User, filters: QueueFilters, now: datetime, practices: list[Practice] | None
) -> QuerySet[WorkItem]:
    """The user's items narrowed by every filter but the quick one (`show`)."""
    if practices is None:
        practices = list(access.practices_for(user, access.WORK))
    # Plain ids, not the permission subquery: planning the page's two queries stays cheap.
    # open() is "status <> resolved", the very condition of the partial indexes.
    items = WorkItem.objects.filter(practice_id__in=[p.pk for p in practices])
    if not filters.q:
        # A name search finds the patient's resolved items too: "did we already answer her?"
        items = items.open()
    if filters.practice:
        items = items.filter(practice__slug=filters.practice)
    if filters.moment:
        items = items.filter(moment__key=filters.moment)
    if filters.language:
        items = items.filter(language=filters.language)
    if filters.channel:
        items = items.filter(channel=filters.channel)
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.scope == "mine":
        items = items.filter(owner=user)
    elif filters.scope == "unassigned":
        items = items.filter(owner=None)
    if filters.block:
        # Urgent, escalated, sent-back and overdue work shows whatever part of the day it
        # is: the part of the day orders the routine, it never hides what is late.
        items = items.filter(
            Q(moment__rhythm_block=filters.block)
            | Q(boundary=WorkItem.Boundary.URGENT)
            | Q(status=WorkItem.Status.ESCALATED)
            | SENT_BACK
            | overdue_q(now)
        )
    if filters.q:
        # The same reading as the patient search: name, date of birth, phone, MRN, reference.
        terms = parse_query(filters.q, region=patient_search.phone_region(practices))
        # A query with nothing searchable in it ("a") finds nothing rather than everything.
        items = (
            items.filter(patient_search.item_condition(terms)) if not terms.empty else items.none()
        )
    return items


def queue_items(
    *,
    user: User,
    filters: QueueFilters,
    now: datetime,
    practices: list[Practice] | None = None,
) -> QuerySet[WorkItem]:
    """Open items of the practices the user works, what is most pressing first.

    `practices` (the user's WORK practices, when the caller has them already) saves a query.
    """
    items = _filtered(user=user, filters=filters, now=now, practices=practices)
    if filters.show:
        items = items.filter(_show_condition(filters.show, user, now))
    return (
        items.annotate(rank=QUEUE_RANK, next_due=QUEUE_DUE)
        .select_related("practice", "patient", "moment", "owner")
        .order_by("rank", "next_due", "id")
    )


def queue_counts(
    *,
    user: User,
    filters: QueueFilters,
    now: datetime,
    practices: list[Practice] | None = None,
) -> dict[str, int]:
    """How many open items each quick filter would show, under the other filters: one
    aggregate query with a conditional count per filter, within the user's practices."""
    items = _filtered(user=user, filters=filters, now=now, practices=practices).open()
    return items.aggregate(
        **{
            show or "all": Count("id", filter=_show_condition(show, user, now) or None)
            for show in SHOWS
        }
    )


def assignment_candidates(*, practice: Practice, language: str, now: datetime) -> list[User]:
    """Assistants who may take a new item now, least loaded and least recently assigned first.

    Assistants are people who WORK the practice without managing it: managers are who an
    item is raised to when nobody can take it.
    """
    workers = get_users_with_perms(practice, only_with_perms_in=[access.WORK])
    managers = get_users_with_perms(practice, only_with_perms_in=[access.MANAGE])
    on_shift = StaffProfile.objects.filter(
        user__in=workers.exclude(pk__in=managers.values("pk")),
        user__is_active=True,
        on_shift=True,
    ).values_list("user_id", "languages")
    # The language is matched here, not in SQL: SQLite (the embedded default) has no JSON
    # `contains`, and a practice's staff on shift are a handful of rows.
    speakers = [user_id for user_id, languages in on_shift if language in languages]
    candidates = (
        User.objects.filter(pk__in=speakers)
        .annotate(
            open_items=Count(
                "owned_items",
                filter=Q(owned_items__practice=practice) & ~Q(owned_items__status="resolved"),
            )
        )
        .filter(open_items__lt=practice.assignment_cap)
    )
    users = list(candidates)
    last = dict(
        ItemEvent.objects.filter(
            item__practice=practice,
            kind__in=["assigned", "claimed", "reassigned"],
            created__gte=now - timedelta(days=1),
            after__owner__in=[u.pk for u in users],
        )
        .values_list("after__owner")
        .annotate(last=Max("created"))
    )
    oldest = datetime.min.replace(tzinfo=now.tzinfo)
    users.sort(key=lambda u: (u.open_items, last.get(u.pk) or oldest, u.pk))
    return users


def _rhythm_blocks(practice: Practice) -> dict[str, tuple[time, time]]:
    blocks = {}
    for name, span in (practice.rhythm_blocks or {}).items():
        try:
            blocks[name] = (time.fromisoformat(span[0]), time.fromisoformat(span[1]))
        except (TypeError, ValueError, IndexError):
            continue
    return blocks or DEFAULT_BLOCKS


def rhythm_block_now(*, practice: Practice, now: datetime) -> str:
    """The part of the day the practice is in now, from its own rhythm-block setting."""
    return current_rhythm_block(now, zone(practice.timezone), _rhythm_blocks(practice))


@dataclass(frozen=True)
class TimelineEntry:
    """One line of an item's conversation: what happened, when, and the row it comes from."""

    at: datetime
    kind: str  # words, message, call, note, escalation, returned, boundary
    obj: object = None
    label: str = ""
    text: str = ""
    item_id: int | None = None  # the item the line belongs to (the patient page names it)


def _escalation_entries(escalation) -> list[TimelineEntry]:
    route = escalation.route.name
    entries = [TimelineEntry(escalation.created, "escalation", escalation, f"Escalated to {route}")]
    if escalation.acknowledged_at:
        who = escalation.acknowledged_by
        by = f" by {who.get_full_name() or who.username}" if who else ""
        entries.append(
            TimelineEntry(
                escalation.acknowledged_at, "escalation", escalation, f"{route}: acknowledged{by}"
            )
        )
    if escalation.raised_to_backup_at:
        entries.append(
            TimelineEntry(
                escalation.raised_to_backup_at,
                "escalation",
                escalation,
                f"{route}: not acknowledged in time, raised to the backup",
            )
        )
    if escalation.returned_at:
        entries.append(
            TimelineEntry(
                escalation.returned_at,
                "returned",
                escalation,
                f"Returned by {route}",
                escalation.instruction,
            )
        )
    if escalation.resolved_at:
        entries.append(
            TimelineEntry(
                escalation.resolved_at,
                "escalation",
                escalation,
                f"{route}: resolved",
                escalation.resolution_note,
            )
        )
    return entries


# The item events a conversation shows: triage raising the boundary, a duplicate merged in.
TIMELINE_EVENTS = ("boundary_raised", "merged_in")


def moved_message_codes(events: Iterable[ItemEvent]) -> set[str]:
    """The codes of the messages a merge moved in from a duplicate (`merged_in` events)."""
    merges = [event.after or {} for event in events if event.kind == "merged_in"]
    return {code for merge in merges for code in merge.get("messages", ())}


def conversation_entries(
    *,
    items: list[WorkItem],
    messages: list[Message],
    calls: Iterable[CallAttempt],
    notes: Iterable,
    escalations: Iterable,
    events: Iterable[ItemEvent],
    answered: set[int] | None = None,
) -> list[TimelineEntry]:
    """The lines of these items' conversations, unsorted: one per message, call, note,
    escalation step and triage change (an item's patient page reads the same as its panel).
    `events` are the items' events of the TIMELINE_EVENTS kinds; calls come with `by`, notes
    with `author`, escalations with `route` and `acknowledged_by`.

    `answered` names the items with an inbound message of their own (not one a merge moved
    in); the others open with the patient's words. Without it, it is read from `messages`,
    which must then hold every message of the items."""
    events = list(events)
    entries = [TimelineEntry(m.created, "message", m, item_id=m.item_id) for m in messages]
    if answered is None:
        moved = moved_message_codes(events)
        inbound = [m for m in messages if m.direction == m.Direction.INBOUND]
        answered = {m.item_id for m in inbound if str(m.code) not in moved}
    for item in items:
        if item.pk not in answered:
            # Calls, voicemails and staff entries arrive without an inbound message row.
            entries.append(
                TimelineEntry(
                    item.received_at, "words", item, text=item.patient_words, item_id=item.pk
                )
            )
    merges = [event.after or {} for event in events if event.kind == "merged_in"]
    words_only = [merge.get("from") for merge in merges if merge.get("words_only")]
    if words_only:
        # A merged duplicate that came without an inbound message brings its words along.
        for dup in WorkItem.objects.filter(merged_into__in=items, code__in=words_only):
            entries.append(
                TimelineEntry(
                    dup.received_at,
                    "words",
                    dup,
                    "merged",
                    text=dup.patient_words,
                    item_id=dup.merged_into_id,
                )
            )
    received = {item.pk: item.received_at for item in items}
    for call in calls:
        at = call.attempted_at or call.due_at or received.get(call.item_id)
        entries.append(TimelineEntry(at, "call", call, item_id=call.item_id))
    for note in notes:
        entries.append(
            TimelineEntry(note.created, "note", note, text=note.as_text(), item_id=note.item_id)
        )
    for escalation in escalations:
        entries.extend(
            replace(entry, item_id=escalation.item_id) for entry in _escalation_entries(escalation)
        )
    by_code = {str(m.code): m for m in messages}
    for event in (event for event in events if event.kind == "boundary_raised"):
        after, before = event.after or {}, event.before or {}
        label = (
            f"Triage raised this item from {before.get('boundary', '?')} "
            f"to {after.get('boundary', '?')}"
        )
        message = by_code.get(str(after.get("message")))
        entries.append(
            TimelineEntry(event.created, "boundary", message, label, item_id=event.item_id)
        )
    return entries


def item_timeline(*, item: WorkItem) -> list[TimelineEntry]:
    """The item's conversation, oldest first, in six queries however long its history."""
    entries = conversation_entries(
        items=[item],
        messages=list(
            item.messages.select_related("sent_by")
            .prefetch_related("attachments")
            .order_by("created", "id")
        ),
        calls=item.call_attempts.select_related("by"),
        notes=item.notes.select_related("author").order_by("created", "id"),
        escalations=item.escalations.select_related("route", "acknowledged_by").order_by(
            "created", "id"
        ),
        events=item.events.filter(kind__in=TIMELINE_EVENTS),
    )
    # Python's sort is stable: a tie keeps the order above (the message before its triage).
    entries.sort(key=lambda entry: entry.at)
    return entries


# Plain SQL: the marker runs on every poll of every open item, and the ORM took 3 ms of CPU to
# compile these five aggregates (each an index lookup on the item's own rows).
TIMELINE_MARKER_SQL = """
    SELECT (SELECT count(*) FROM queue_app_message WHERE item_id = %s),
           (SELECT max(updated) FROM queue_app_message WHERE item_id = %s),
           (SELECT count(*) FROM queue_app_itemevent WHERE item_id = %s),
           (SELECT max(id) FROM queue_app_itemevent WHERE item_id = %s),
           (SELECT count(*) FROM queue_app_callattempt WHERE item_id = %s)
"""


def timeline_marker(*, item: WorkItem) -> str:
    """A cheap fingerprint of the conversation (one query): it changes whenever a line is
    added or a message's status moves, so a poll can answer "nothing new" without reading it.
    Every note, call, escalation step and triage change writes an ItemEvent; delivery status
    changes move the message's `updated`, and a reply attached later adds to the count."""
    with connection.cursor() as cursor:
        cursor.execute(TIMELINE_MARKER_SQL, [item.pk] * 5)
        row = cursor.fetchone()
    digest = hashlib.sha256(repr(row).encode()).hexdigest()[:20]
    return f'"{digest}"'
