"""A patient's whole record as one timeline: every item, open or resolved, with its messages,
calls, notes, escalations and triage changes (read by the same pieces as the item panel's
conversation), plus appointments, consent and opt-out changes and reminders sent.

Newest first, and read only as far as the page shown: for the newest N lines each source is
read newest first and cut at N rows, so a patient with years of history costs what a new one
does. The cut loses no line of the N: a row left out of a source comes after N rows of that
source that each have a line at least as new. A source whose rows have lines at different
times (an item opened and resolved, an escalation's steps) is ordered by each row's newest
line and cut below the N-th row's time, ties kept, so that every row left out is strictly
older than N lines kept. And when the N newest messages alone fill the lines, the other
sources are read no further back than the last of them.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from django.db.models import Exists, F, Func, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from escalation.models import Escalation
from notes.models import Note
from queue_app.models import (
    CallAttempt,
    CommunicationMoment,
    Consent,
    ItemEvent,
    Message,
    Patient,
    Reminder,
    WorkItem,
)
from queue_app.selectors import TimelineEntry, conversation_entries, moved_message_codes

REMINDER_LABELS = dict(Reminder.Kind.choices)

# The newest line of a row of each source with lines at several times.
ITEM_NEWEST = Greatest("received_at", Coalesce("resolved_at", "received_at"))
ESCALATION_NEWEST = Greatest(
    "created",
    *(
        Coalesce(step, "created")  # SQLite's max() of a NULL is NULL
        for step in ("acknowledged_at", "raised_to_backup_at", "returned_at", "resolved_at")
    ),
)
# A call's line stands where it was made, else where it is due, else at its item's arrival.
CALL_TIME = Coalesce("attempted_at", "due_at", "item__received_at")


@dataclass(frozen=True)
class PatientEntry:
    """One line of the patient's timeline and the item it belongs to (None for the record's
    own lines: appointments, consent)."""

    entry: TimelineEntry
    item: WorkItem | None

    @property
    def at(self) -> datetime:
        return self.entry.at

    @property
    def kind(self) -> str:
        return self.entry.kind


@dataclass(frozen=True)
class PatientRecord:
    entries: list[PatientEntry]  # the newest lines asked for, newest first
    open_items: list[WorkItem]  # newest first
    consents: dict[str, Consent]  # the latest per channel


def attach_related(rows: list[Model], field: str, model: type[Model]) -> None:
    """Set each row's `field` from one query of the few rows they point to. The items of a
    page share a few moments of ten JSON fields each: joined to every row, they were decoded
    again for each."""
    found = model.objects.in_bulk({getattr(row, f"{field}_id") for row in rows} - {None})
    for row in rows:
        if getattr(row, f"{field}_id") is not None:
            setattr(row, field, found[getattr(row, f"{field}_id")])


def _newest_rows(rows: QuerySet, newest: Func, count: int, since: datetime | None) -> QuerySet:
    """The rows whose newest line is among the `count` newest rows' newest lines, with every
    row tied with the last of them, and none older than `since`."""
    rows = rows.annotate(newest=newest)
    if since:
        rows = rows.filter(newest__gte=since)
    cut = rows.order_by("-newest").values("newest")[count - 1 : count]
    # Fewer rows than `count`: no cut, and every row's own time passes.
    return rows.filter(newest__gte=Coalesce(Subquery(cut), F("newest")))


def _since(rows: QuerySet, time: str, since: datetime | None) -> QuerySet:
    return rows.filter(**{f"{time}__gte": since}) if since else rows


def _items(patient: Patient, newest: QuerySet[WorkItem], rows: list[Model]) -> list[WorkItem]:
    """The items the page may name: the newest, those the other rows' lines belong to, those
    the newest were merged into (their words line names it) and every open item (listed
    beside the record); newest first, with their moments and what their words line depends
    on: an inbound message of their own, a duplicate merged into them."""
    inbound = Message.objects.filter(item=OuterRef("pk"), direction=Message.Direction.INBOUND)
    merges = ItemEvent.objects.filter(item=OuterRef("pk"), kind="merged_in")
    named = Q(pk__in=newest.values("pk")) | Q(pk__in=newest.values("merged_into"))
    named |= Q(pk__in={row.item_id for row in rows} - {None})
    items = patient.items.filter(named | ~Q(status=WorkItem.Status.RESOLVED))
    items = list(
        items.annotate(has_inbound=Exists(inbound), merged=Exists(merges)).order_by(
            "-received_at", "-id"
        )
    )
    attach_related(items, "moment", CommunicationMoment)
    return items


def _answered(items: list[WorkItem], merges: list[ItemEvent]) -> set[int]:
    """The items with an inbound message of their own. Into a merge's survivor the duplicate's
    messages moved, and those do not count: its messages are read for it alone (merges are
    rare)."""
    survivors = {event.item_id for event in merges}
    answered = {item.pk for item in items if item.has_inbound and item.pk not in survivors}
    inbound = Message.objects.filter(item_id__in=survivors, direction=Message.Direction.INBOUND)
    moved = moved_message_codes(merges)
    answered.update(inbound.exclude(code__in=moved).values_list("item_id", flat=True))
    return answered


def _newest_messages(patient: Patient, count: int) -> list[Message]:
    """Reminders and keyword replies belong to the patient without an item, and a text from
    a number nobody was found for belongs to the patient's item without the patient: the
    patient's own messages, then the others of their items no older than the last of those
    (joined with OR, PostgreSQL scanned every message; in one UNION, it started parallel
    workers)."""
    rows = Message.objects.select_related("sent_by").order_by("-created", "-id")
    messages = list(rows.filter(patient=patient)[:count])
    others = rows.filter(item__patient=patient).exclude(patient=patient)
    if len(messages) == count:
        others = others.filter(created__gte=messages[-1].created)
    messages += others[:count]
    messages.sort(key=lambda message: (message.created, message.pk), reverse=True)
    return messages[:count]


def _consents(patient: Patient, count: int) -> tuple[list[Consent], dict[str, Consent]]:
    """The newest consent changes, and the latest of each channel however old (the record
    says what each channel's consent is now)."""
    changes = patient.consents.select_related("recorded_by").order_by("-recorded_at", "-id")
    newest = list(changes[:count])
    latest: dict[str, Consent] = {}
    for consent in newest:
        latest.setdefault(consent.channel, consent)
    missing = set(Consent.Channel.values) - latest.keys()
    if len(newest) == count and missing:
        # Only a patient with more consent changes than the lines read gets here.
        for consent in changes.filter(channel__in=missing):
            latest.setdefault(consent.channel, consent)
    return newest, latest


def _record_entries(
    patient: Patient, items: list[WorkItem], consents: list[Consent], count: int
) -> list[TimelineEntry]:
    entries = []
    for item in items:
        entries.append(TimelineEntry(item.received_at, "opened", item, item_id=item.pk))
        if item.resolved_at:
            entries.append(TimelineEntry(item.resolved_at, "resolved", item, item_id=item.pk))
    appointments = patient.appointments.order_by("-starts_at", "-id")[:count]
    entries.extend(TimelineEntry(a.starts_at, "appointment", a) for a in appointments)
    entries.extend(TimelineEntry(c.recorded_at, "consent", c) for c in consents)
    # The STOP's own consent row may lie past those read; the line added for want of it then
    # follows `count` newer consent lines and is cut.
    stop_recorded = any(
        c.recorded_at == patient.opted_out_at and not c.granted
        for c in consents
        if c.channel == Consent.Channel.SMS
    )
    if patient.opted_out_at and not stop_recorded:
        entries.append(TimelineEntry(patient.opted_out_at, "opt_out", patient))
    return entries


def patient_timeline(*, patient: Patient, lines: int) -> PatientRecord:
    """The newest `lines` lines of the patient's record, newest first, exactly as the whole
    record sorted would begin, in a number of queries that does not grow with history."""
    messages = _newest_messages(patient, lines)
    # When the messages alone fill the lines, a line older than the last of them comes after
    # them all, and so does one of another source at that very instant (messages come first):
    # the other sources are read from there on.
    since = messages[-1].created if len(messages) == lines else None
    theirs = Q(item__patient=patient)
    newest = _newest_rows(patient.items.all(), ITEM_NEWEST, lines, since)
    calls = CallAttempt.objects.filter(theirs).annotate(at=CALL_TIME).select_related("by")
    calls = list(_since(calls, "at", since).order_by("-at", "-id")[:lines])
    notes = Note.objects.filter(theirs).select_related("author").order_by("-created", "-id")
    notes = list(_since(notes, "created", since)[:lines])
    escalations = _newest_rows(Escalation.objects.filter(theirs), ESCALATION_NEWEST, lines, since)
    escalations = list(
        escalations.select_related("route", "acknowledged_by").order_by("-created", "-id")
    )
    triage = ItemEvent.objects.filter(theirs, kind="boundary_raised").order_by("-created", "-id")
    triage = list(_since(triage, "created", since)[:lines])
    items = _items(patient, newest, [*messages, *calls, *notes, *escalations, *triage])
    merges = list(
        ItemEvent.objects.filter(item_id__in=[i.pk for i in items if i.merged], kind="merged_in")
    )
    entries = conversation_entries(
        items=items,
        messages=messages,
        calls=calls,
        notes=notes,
        escalations=escalations,
        events=[*triage, *merges],
        answered=_answered(items, merges),
    )
    # A reminder's message says which reminder it was.
    entries = [
        replace(e, label=reminder_label(e.obj)) if e.kind == "message" else e for e in entries
    ]
    consents, latest = _consents(patient, lines)
    entries += _record_entries(patient, items, consents, lines)
    # Python's sort is stable: lines at one instant keep the order they were made in.
    entries.sort(key=lambda entry: entry.at, reverse=True)
    by_id = {item.pk: item for item in items}
    return PatientRecord(
        entries=[PatientEntry(e, by_id.get(e.item_id)) for e in entries[:lines]],
        open_items=[item for item in items if item.is_open],
        consents=latest,
    )


def reminder_label(message: Message) -> str:
    """ "Reminder: Confirmation request" for a reminder's message, "" for any other."""
    label = REMINDER_LABELS.get(message.purpose)
    return f"Reminder: {label}" if label else ""
