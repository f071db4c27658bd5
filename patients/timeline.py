"""A patient's whole record as one timeline: every item, open or resolved, with its messages,
calls, notes, escalations and triage changes (read by the same pieces as the item panel's
conversation), plus appointments, consent and opt-out changes and reminders sent.

Newest first, the newest COUNT_CAP lines at most: each source is read newest first and cut
there, so a patient with years of history costs the same ten queries as a new one.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Model, Q

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
from queue_app.selectors import TIMELINE_EVENTS, TimelineEntry, conversation_entries
from queue_app.views.common import COUNT_CAP

LIMIT = COUNT_CAP + 1
REMINDER_LABELS = dict(Reminder.Kind.choices)


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


def patient_items(patient: Patient) -> list[WorkItem]:
    """The patient's items, newest first, with what their lines show."""
    items = list(patient.items.select_related("owner").order_by("-received_at", "-id")[:LIMIT])
    attach_related(items, "moment", CommunicationMoment)
    return items


def attach_related(rows: list[Model], field: str, model: type[Model]) -> None:
    """Set each row's `field` from one query of the few rows they point to. A year of history
    is hundreds of items sharing a dozen moments (ten JSON fields each) and messages from a
    few senders: joined to every row, they were built again for each, a quarter of the
    timeline's CPU for a patient with 404 items."""
    found = model.objects.in_bulk({getattr(row, f"{field}_id") for row in rows} - {None})
    for row in rows:
        if getattr(row, f"{field}_id") is not None:
            setattr(row, field, found[getattr(row, f"{field}_id")])


def _record_entries(
    patient: Patient, items: list[WorkItem], consents: list[Consent]
) -> list[TimelineEntry]:
    entries = []
    for item in items:
        entries.append(TimelineEntry(item.received_at, "opened", item, item_id=item.pk))
        if item.resolved_at:
            entries.append(TimelineEntry(item.resolved_at, "resolved", item, item_id=item.pk))
    appointments = patient.appointments.order_by("-starts_at", "-id")[:LIMIT]
    entries.extend(TimelineEntry(a.starts_at, "appointment", a) for a in appointments)
    entries.extend(TimelineEntry(c.recorded_at, "consent", c) for c in consents)
    stop_recorded = any(
        c.recorded_at == patient.opted_out_at and not c.granted
        for c in consents
        if c.channel == Consent.Channel.SMS
    )
    if patient.opted_out_at and not stop_recorded:
        entries.append(TimelineEntry(patient.opted_out_at, "opt_out", patient))
    return entries


@dataclass(frozen=True)
class PatientRecord:
    items: list[WorkItem]  # newest first
    entries: list[PatientEntry]  # newest first
    consents: dict[str, Consent]  # the latest per channel


def patient_timeline(*, patient: Patient) -> PatientRecord:
    """The patient's items and every line of their record, newest first."""
    items = patient_items(patient)
    ids = [item.pk for item in items]
    # Reminders and keyword replies belong to the patient without an item.
    theirs = Message.objects.filter(Q(patient=patient) | Q(item_id__in=ids))
    messages = list(theirs.order_by("-created", "-id")[:LIMIT])
    attach_related(messages, "sent_by", User)
    entries = conversation_entries(
        items=items,
        messages=messages,
        calls=CallAttempt.objects.filter(item_id__in=ids)
        .select_related("by")
        .order_by("-id")[:LIMIT],
        notes=Note.objects.filter(item_id__in=ids)
        .select_related("author")
        .order_by("-created", "-id")[:LIMIT],
        escalations=Escalation.objects.filter(item_id__in=ids)
        .select_related("route", "acknowledged_by")
        .order_by("-created")[:LIMIT],
        events=ItemEvent.objects.filter(item_id__in=ids, kind__in=TIMELINE_EVENTS),
    )
    consents = list(patient.consents.select_related("recorded_by").order_by("-recorded_at")[:LIMIT])
    # A reminder's message says which reminder it was.
    entries = [
        replace(e, label=reminder_label(e.obj)) if e.kind == "message" else e for e in entries
    ]
    entries += _record_entries(patient, items, consents)
    by_id = {item.pk: item for item in items}
    entries.sort(key=lambda entry: entry.at, reverse=True)
    latest: dict[str, Consent] = {}
    for consent in consents:
        latest.setdefault(consent.channel, consent)
    return PatientRecord(
        items=items,
        entries=[PatientEntry(e, by_id.get(e.item_id)) for e in entries[:LIMIT]],
        consents=latest,
    )


def reminder_label(message: Message) -> str:
    """ "Reminder: Confirmation request" for a reminder's message, "" for any other."""
    label = REMINDER_LABELS.get(message.purpose)
    return f"Reminder: {label}" if label else ""
