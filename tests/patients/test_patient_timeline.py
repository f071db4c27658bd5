"""The patient page reads each source of the record only as far as the page shown: every page
a person can reach must read as the whole record built at once, line for line."""

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from django.db.models import Q
from django.urls import reverse

from escalation import services as escalation_services
from escalation.models import Escalation
from notes.models import Note
from notes.services import record_note
from patients.timeline import PatientEntry, patient_timeline, reminder_label
from queue_app.models import CallAttempt, Consent, ItemEvent, Message, WorkItem
from queue_app.selectors import TIMELINE_EVENTS, TimelineEntry, conversation_entries
from queue_app.services.merging import merge_items
from queue_app.views.common import PAGE_SIZE
from tests import factories
from tests.queue_app.queue_helpers import GOOD_NOTE, NOW, open_item

pytestmark = pytest.mark.django_db

DAY, HOUR, MINUTE = timedelta(days=1), timedelta(hours=1), timedelta(minutes=1)
# Three items arrive at the very moment of another item's text, beside an appointment and
# a consent change: lines of different sources at one instant, where only their order in
# the whole record decides which comes first.
TIE = NOW - 60 * DAY


def page_url(patient) -> str:
    return reverse("patients:patient", args=[patient.code])


def shown(line: PatientEntry) -> tuple:
    """What the page shows of a line. (A triage line shows its label, not its message.)"""
    entry = line.entry
    obj = None if entry.kind == "boundary" else (type(entry.obj).__name__, entry.obj.pk)
    return (entry.at, entry.kind, entry.label, entry.text, obj, line.item and line.item.pk)


def whole_record(patient) -> list[tuple]:
    """The record built whole, as the page built it before it read only what it shows:
    every row of every source, every line, sorted newest first by a stable sort."""
    items = list(patient.items.select_related("moment").order_by("-received_at", "-id"))
    ids = [item.pk for item in items]
    messages = Message.objects.filter(Q(patient=patient) | Q(item_id__in=ids))
    entries = conversation_entries(
        items=items,
        messages=list(messages.order_by("-created", "-id")),
        calls=CallAttempt.objects.filter(item_id__in=ids).select_related("by").order_by("-id"),
        notes=Note.objects.filter(item_id__in=ids).order_by("-created", "-id"),
        escalations=Escalation.objects.filter(item_id__in=ids).order_by("-created", "-id"),
        events=ItemEvent.objects.filter(item_id__in=ids, kind__in=TIMELINE_EVENTS),
    )
    entries = [
        replace(e, label=reminder_label(e.obj)) if e.kind == "message" else e for e in entries
    ]
    for item in items:
        entries.append(TimelineEntry(item.received_at, "opened", item, item_id=item.pk))
        if item.resolved_at:
            entries.append(TimelineEntry(item.resolved_at, "resolved", item, item_id=item.pk))
    appointments = patient.appointments.order_by("-starts_at", "-id")
    entries += [TimelineEntry(a.starts_at, "appointment", a) for a in appointments]
    consents = list(patient.consents.order_by("-recorded_at", "-id"))
    entries += [TimelineEntry(c.recorded_at, "consent", c) for c in consents]
    stop = [c for c in consents if c.channel == "sms" and not c.granted]
    if patient.opted_out_at and patient.opted_out_at not in [c.recorded_at for c in stop]:
        entries.append(TimelineEntry(patient.opted_out_at, "opt_out", patient))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    by_id = {item.pk: item for item in items}
    return [shown(PatientEntry(entry, by_id.get(entry.item_id))) for entry in entries]


def _answered_by_text(item, n: int, assistant, **inbound) -> None:
    factories.make_message(
        item,
        direction=Message.Direction.INBOUND,
        status=Message.Status.RECEIVED,
        body=f"Question {n}",
        created=item.received_at,
        **inbound,
    )
    factories.make_message(
        item,
        body=f"Answer {n}",
        sent_by=assistant,
        status=Message.Status.DELIVERED,
        created=item.received_at + 10 * MINUTE,
    )


@pytest.fixture
def long_history(practice_a, patient, assistant, clinical):
    """Eighty days of a patient's record over more than three pages: forty items, each
    worked a little differently, and the lines whose time is not their row's newest: an old
    item resolved or written on recently, an old escalation resolved today, calls scheduled
    ahead, duplicates merged into older items, and several sources at one instant."""
    items = []
    for n in range(40):
        received = NOW - 2 * n * DAY - HOUR
        voicemail = n % 4 == 0  # no inbound message: the line shows the patient's words
        channel = WorkItem.Channel.VOICEMAIL if voicemail else WorkItem.Channel.SMS
        item = open_item(practice_a, patient, received_at=received, channel=channel)
        if not voicemail:
            _answered_by_text(item, n, assistant)
        if n % 5 == 0:
            item.call_attempts.create(
                number=1, attempted_at=received + HOUR, outcome="no_answer", by=assistant
            )
            item.call_attempts.create(number=2, due_at=received + 3 * DAY)
        if n % 6 == 0:
            record_note(item=item, author=assistant, fields=GOOD_NOTE, now=received + 2 * HOUR)
        if n % 7 == 0:
            ItemEvent.objects.create(
                item=item,
                service="triage",
                kind="boundary_raised",
                before={"boundary": "administrative"},
                after={"boundary": "clinical"},
                created=received + 5 * MINUTE,
            )
        items.append(item)
    for n in (3, 6, 9, 12, 15, 18, 21, 24, 27, 33, 36, 39):
        # Most are resolved the next day; every ninth only now, long after it came in.
        resolved = NOW - n * HOUR if n % 9 == 0 else items[n].received_at + DAY
        WorkItem.objects.filter(pk=items[n].pk).update(
            status=WorkItem.Status.RESOLVED, resolved_at=resolved
        )
    for _ in range(3):
        open_item(practice_a, patient, received_at=TIE, channel=WorkItem.Channel.CALL)
    _answered_by_text(open_item(practice_a, patient, received_at=TIE), 99, assistant, patient=None)
    factories.make_appointment(patient, starts_at=TIE, provider_name="Dr. Huang")
    Consent.objects.create(
        patient=patient, channel=Consent.Channel.EMAIL, granted=True, source="form", recorded_at=TIE
    )

    first = escalation_services.escalate_item(
        item=items[2],
        route_kind="clinical",
        reason="asks about a dose",
        now=items[2].received_at + HOUR,
        actor=assistant,
    )
    escalation_services.acknowledge_escalation(
        escalation=first, actor=clinical, now=items[2].received_at + 2 * HOUR
    )
    escalation_services.return_escalation(
        escalation=first,
        actor=clinical,
        instruction="Book her this week",
        now=items[2].received_at + DAY,
    )
    old = escalation_services.escalate_item(
        item=items[20],
        route_kind="clinical",
        reason="asks about a result",
        now=items[20].received_at + HOUR,
        actor=assistant,
    )
    escalation_services.resolve_escalation(
        escalation=old, actor=clinical, note="Result is normal", now=NOW - 3 * HOUR
    )

    # An old item written on today, once from an unknown number (no patient on the message).
    factories.make_message(items[35], body="Still there?", sent_by=assistant, created=NOW - HOUR)
    factories.make_message(
        items[35],
        patient=None,
        direction=Message.Direction.INBOUND,
        status=Message.Status.RECEIVED,
        body="Yes",
        created=NOW - 50 * MINUTE,
    )
    record_note(item=items[35], author=assistant, fields=GOOD_NOTE, now=NOW - 40 * MINUTE)

    # A call without words merged into an old text; a text merged into an old voicemail.
    call = open_item(practice_a, patient, received_at=NOW - 3 * DAY, channel=WorkItem.Channel.CALL)
    merge_items(duplicate=call, survivor=items[25], actor=assistant, now=NOW - 2 * DAY)
    text = open_item(practice_a, patient, received_at=NOW - 5 * DAY)
    _answered_by_text(text, 98, assistant)
    merge_items(duplicate=text, survivor=items[32], actor=assistant, now=NOW - 4 * DAY)

    Message.objects.create(
        practice=practice_a,
        patient=patient,
        direction=Message.Direction.OUTBOUND,
        channel=Message.Channel.SMS,
        body="Reminder: your visit is on Friday. Reply C to confirm.",
        status=Message.Status.DELIVERED,
        is_automatic=True,
        purpose="confirmation_request",
        idempotency_key="reminder-long-1",
        created=NOW - DAY,
    )
    for days in (10, 30, 45):
        factories.make_appointment(patient, starts_at=NOW - days * DAY)
    factories.make_appointment(patient, starts_at=NOW + 2 * DAY)
    Consent.objects.create(
        patient=patient,
        channel=Consent.Channel.SMS,
        granted=False,
        source="STOP keyword",
        recorded_at=NOW - 2 * HOUR,
    )
    patient.opted_out_at = NOW - 2 * HOUR
    patient.save(update_fields=["opted_out_at"])
    return items


def test_every_cut_of_the_record_reads_as_the_whole_record(patient, long_history):
    whole = whole_record(patient)
    assert len(whole) > 3 * PAGE_SIZE
    open_items = list(patient.items.open().order_by("-received_at", "-id"))
    changes = patient.consents.order_by("-recorded_at", "-id")
    latest = {channel: changes.filter(channel=channel).first() for channel in ("sms", "email")}
    for lines in range(1, len(whole) + 2):
        record = patient_timeline(patient=patient, lines=lines)
        assert [shown(line) for line in record.entries] == whole[:lines], lines
        # Beside the record: every open item, and each channel's latest consent.
        assert record.open_items == open_items
        assert record.consents == latest


def test_each_page_the_pager_reaches_shows_the_whole_records_lines(
    client, assistant, patient, long_history
):
    whole = whole_record(patient)
    last = -(-len(whole) // PAGE_SIZE)
    client.force_login(assistant)
    url, number = page_url(patient), 1
    while True:
        response = client.get(url)
        start = (number - 1) * PAGE_SIZE
        assert [shown(line) for line in response.context["entries"]] == whole[
            start : start + PAGE_SIZE
        ]
        body = response.content.decode()
        following = re.search(r'<a href="(\?page=\d+)">Next</a>', body)
        if number == last:
            # Read to the end: the total is known.
            assert f"Page {last} of {last}</span>" in body
            assert following is None
            break
        # More than the page read: no total, a next page.
        assert f"Page {number}</span>" in body
        url, number = page_url(patient) + following[1], number + 1
    # Past either end, as Django's paginator reads it: the last page; not a number: the first.
    for beyond in (last + 5, 0):
        assert client.get(page_url(patient), {"page": beyond}).context["page"].number == last
    assert client.get(page_url(patient), {"page": "x"}).context["page"].number == 1


def test_an_old_open_item_and_an_old_consent_still_show_beside_the_first_page(
    client, assistant, patient, long_history
):
    client.force_login(assistant)
    body = client.get(page_url(patient)).content.decode()
    beside = body[body.index('id="facts-h"') :]
    oldest_open = long_history[38]  # 76 days old, far below the first page
    assert oldest_open.reference in beside
    assert re.search(r"Email: <span class=\"ok\">given</span>", beside)
