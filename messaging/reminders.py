"""Periodic work around appointments and items: reminders, callbacks, no-shows, deadlines.

Every function is safe to run twice or at the same time as itself (two beats, an overlapping
run): rows are claimed with `select_for_update(skip_locked=True)` and conditional updates,
and what must exist once has a database unique constraint (a reminder per appointment and
kind, a call attempt per item and number, a recovery item per appointment, an idempotency
key per message).
"""

import logging
import time
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, F, Q

from messaging.dispatch import enqueue_deliveries, enqueue_delivery
from queue_app.clock import BusinessHours, next_callback_slot
from queue_app.clock import parse_contact_window as parse_window
from queue_app.events import record_item_event, record_item_events
from queue_app.lanes import Lane
from queue_app.models import (
    Appointment,
    CallAttempt,
    CommunicationMoment,
    Message,
    Patient,
    Practice,
    Reminder,
    WorkItem,
)
from queue_app.services import intake
from templates_lib.channel_rules import check_send, check_send_many
from templates_lib.rendering import MissingValueError, render
from templates_lib.services import approved_template, render_for_item
from templates_lib.values import appointment_values, format_date, practice_values

logger = logging.getLogger(__name__)
SERVICE = "worker"

# Minutes before the appointment; a practice overrides them in practice.reminder_offsets.
DEFAULT_OFFSETS = {
    Reminder.Kind.CONFIRMATION_REQUEST: 72 * 60,
    Reminder.Kind.REMINDER: 24 * 60,
    Reminder.Kind.TELEHEALTH_LINK: 60,
}
# A reminder whose time passed (booked late) still goes while at least this much is left.
MIN_LEAD = {
    Reminder.Kind.CONFIRMATION_REQUEST: timedelta(hours=12),
    Reminder.Kind.REMINDER: timedelta(hours=2),
    Reminder.Kind.TELEHEALTH_LINK: timedelta(minutes=10),
}
MOMENT_FOR = {
    Reminder.Kind.CONFIRMATION_REQUEST: Lane.APPOINTMENT_TIME_QUESTION,
    Reminder.Kind.REMINDER: Lane.APPOINTMENT_TIME_QUESTION,
    Reminder.Kind.TELEHEALTH_LINK: Lane.TELEHEALTH_PREP,
}
REMINDER_BATCH = 100
NO_SHOW_LOOKBACK = timedelta(days=7)
OVERDUE_PRIORITY = 10


def offsets_for(practice: Practice) -> dict[str, int]:
    offsets = dict(DEFAULT_OFFSETS)
    for kind, minutes in (practice.reminder_offsets or {}).items():
        if kind in offsets and isinstance(minutes, int) and minutes > 0:
            offsets[kind] = minutes
    return offsets


def _wanted(appointment: Appointment, kind: str, now: datetime) -> bool:
    if appointment.status != Appointment.Status.BOOKED or appointment.starts_at <= now:
        return False
    return kind != Reminder.Kind.TELEHEALTH_LINK or appointment.kind == "telehealth"


def _cancel_message(reminder: Reminder, now: datetime, reason: str) -> None:
    if reminder.message_id is not None:
        Message.objects.filter(
            pk=reminder.message_id,
            status__in=[Message.Status.SCHEDULED, Message.Status.QUEUED],
        ).update(status=Message.Status.CANCELLED, status_reason=reason, updated=now)


@transaction.atomic
def sync_reminders(*, appointment: Appointment, now: datetime) -> list[Reminder]:
    """Make the appointment's reminders match it: created, moved with it, or cancelled.

    Call it whenever an appointment is booked, moved or cancelled. Running it twice changes
    nothing the second time.
    """
    # One sync per appointment at a time: the lock orders concurrent runs.
    appointment = (
        Appointment.objects.select_for_update().select_related("practice").get(pk=appointment.pk)
    )
    offsets = offsets_for(appointment.practice)
    existing = {r.kind: r for r in Reminder.objects.filter(appointment=appointment)}
    result = []
    for kind in Reminder.Kind.values:
        due = appointment.starts_at - timedelta(minutes=offsets[kind])
        reminder = existing.get(kind)
        if not _wanted(appointment, kind, now):
            if reminder is not None and reminder.status in (
                Reminder.Status.PENDING,
                Reminder.Status.QUEUED,
            ):
                _cancel_message(reminder, now, "The appointment was cancelled or has passed.")
                Reminder.objects.filter(pk=reminder.pk).update(
                    status=Reminder.Status.CANCELLED,
                    status_reason=f"appointment {appointment.status}",
                    updated=now,
                )
            continue
        if reminder is None:
            reminder = Reminder.objects.create(
                appointment=appointment,
                kind=kind,
                offset_minutes=offsets[kind],
                due_at=due,
                created=now,
                updated=now,
            )
        elif reminder.due_at != due or reminder.status == Reminder.Status.CANCELLED:
            # Moved (or booked again): what was pending for the old time must not go.
            _cancel_message(reminder, now, "The appointment moved.")
            Reminder.objects.filter(pk=reminder.pk).update(
                status=Reminder.Status.PENDING,
                status_reason="",
                message=None,
                due_at=due,
                offset_minutes=offsets[kind],
                updated=now,
            )
        result.append(reminder)
    return result


def send_due_reminders(*, now: datetime, budget_seconds: float | None = None) -> int:
    """Turn due reminders into outbox messages, in batches; returns how many were queued.

    With a budget it stops after the batch that spends it (a task has a time limit); the
    rest stays pending for the next run, see `reminders_due`.
    """
    started, total = time.monotonic(), 0
    while True:
        if budget_seconds is not None and time.monotonic() - started > budget_seconds:
            return total
        queued, seen = _send_batch(now)
        total += queued
        if seen < REMINDER_BATCH:
            return total


def reminders_due(*, now: datetime, more_than: int = 0) -> bool:
    """Whether more than `more_than` reminders are due and pending."""
    due = Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lte=now)
    return due[more_than : more_than + 1].exists()


class _Lookups:
    """Per-run caches: moments and approved templates are shared by many reminders."""

    def __init__(self) -> None:
        self.moments: dict[tuple[int, str], CommunicationMoment | None] = {}
        self.templates: dict[tuple[int, str, str], object] = {}
        self.practice_values: dict[int, dict[str, str]] = {}

    def moment(self, practice: Practice, key: str) -> CommunicationMoment | None:
        if (practice.pk, key) not in self.moments:
            self.moments[practice.pk, key] = practice.moments.filter(key=key).first()
        return self.moments[practice.pk, key]

    def template(self, moment: CommunicationMoment, language: str, purpose: str):

        key = (moment.pk, language, purpose)
        if key not in self.templates:
            self.templates[key] = approved_template(
                moment=moment, language=language, channel="sms", purpose=purpose
            )
        return self.templates[key]

    def values(self, practice: Practice) -> dict[str, str]:

        if practice.pk not in self.practice_values:
            self.practice_values[practice.pk] = practice_values(practice)
        return self.practice_values[practice.pk]


@transaction.atomic
def _send_batch(now: datetime) -> tuple[int, int]:
    due = list(
        Reminder.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=Reminder.Status.PENDING, due_at__lte=now)
        .select_related("appointment__patient")
        .order_by("due_at")[:REMINDER_BATCH]
    )
    # A batch shares a few practices: read each once, not once per row.
    practices = Practice.objects.in_bulk({r.appointment.practice_id for r in due})
    for reminder in due:
        reminder.appointment.practice = practices[reminder.appointment.practice_id]
    return queue_reminders(reminders=due, now=now), len(due)


@transaction.atomic
def queue_reminders(*, reminders: list[Reminder], now: datetime) -> int:
    """Make the outbox rows of these (locked, due) reminders in a few queries; returns how
    many were queued.

    One consent and one channel-rule query for the batch, bodies rendered in Python, the
    messages inserted at once (a key already taken is skipped, then read back, so a second
    run creates nothing twice), the reminders updated at once, and delivery enqueued for the
    batch once the transaction commits.
    """

    lookups = _Lookups()
    shared = _shared_numbers(reminders)
    skipped: dict[str, list[int]] = {}
    planned: list[tuple[Reminder, tuple]] = []
    for reminder in reminders:
        plan, reason = _plan(reminder, now, lookups)
        if plan is None:
            skipped.setdefault(reason, []).append(reminder.pk)
        else:
            planned.append((reminder, plan))
    decisions = check_send_many(
        sends=[(reminder.appointment.patient, plan[0]) for reminder, plan in planned],
        channel="sms",
        now=now,
    )
    messages: dict[str, tuple[Reminder, Message]] = {}
    for (reminder, plan), decision in zip(planned, decisions, strict=True):
        message, reason = _reminder_message(reminder, plan, decision, now, lookups, shared)
        if message is None:
            skipped.setdefault(reason, []).append(reminder.pk)
        else:
            messages[message.idempotency_key] = (reminder, message)
    # ON CONFLICT DO NOTHING on the unique idempotency key, then the rows as stored.
    Message.objects.bulk_create([m for _, m in messages.values()], ignore_conflicts=True)
    stored = {
        key: (pk, status)
        for key, pk, status in Message.objects.filter(idempotency_key__in=messages).values_list(
            "idempotency_key", "pk", "status"
        )
    }
    deliver, queued = [], []
    for key, (reminder, _) in messages.items():
        pk, status = stored[key]
        queued.append((reminder.pk, pk))
        if status == Message.Status.QUEUED:
            deliver.append(pk)
    _mark_queued(queued, now)
    for reason, ids in skipped.items():
        Reminder.objects.filter(pk__in=ids).update(
            status=Reminder.Status.SKIPPED, status_reason=reason[:200], updated=now
        )
    enqueue_deliveries(deliver)
    return len(messages)


def _shared_numbers(reminders: list[Reminder]) -> set[tuple[int, str]]:
    phones = {(r.appointment.practice_id, r.appointment.patient.phone) for r in reminders}
    rows = (
        Patient.objects.filter(phone__in={phone for _, phone in phones if phone})
        .values("practice_id", "phone")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    return {(row["practice_id"], row["phone"]) for row in rows}


def _mark_queued(pairs: list[tuple[int, int]], now: datetime) -> None:
    """Reminders → QUEUED with their own message each, (reminder id, message id) pairs."""
    if not pairs:
        return
    if connection.vendor != "postgresql":
        for reminder_id, message_id in pairs:
            Reminder.objects.filter(pk=reminder_id).update(
                status=Reminder.Status.QUEUED, message_id=message_id, updated=now
            )
        return
    # One statement for the batch (bulk_update's CASE per row costs ms per reminder in Python).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE queue_app_reminder AS r SET status = %s, message_id = v.message_id, "
            "updated = %s FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, message_id) "
            "WHERE r.id = v.id",
            [Reminder.Status.QUEUED, now, [r for r, _ in pairs], [m for _, m in pairs]],
        )


def _plan(reminder: Reminder, now: datetime, lookups: _Lookups) -> tuple[tuple | None, str]:
    """(moment, template, language) for a reminder that may still go, or why it may not."""
    appointment = reminder.appointment
    practice, patient = appointment.practice, appointment.patient
    if not _wanted(appointment, reminder.kind, now):
        return None, "The appointment is no longer booked."
    if now > appointment.starts_at - MIN_LEAD[reminder.kind]:
        return None, "Too close to the appointment for this reminder."
    moment = lookups.moment(practice, MOMENT_FOR[reminder.kind])
    language = patient.preferred_language
    if language not in practice.languages:
        language = practice.languages[0] if practice.languages else "en"
    template = lookups.template(moment, language, reminder.kind) if moment else None
    if template is None:
        return None, f"No approved {reminder.kind} template in {language}."
    return (moment, template, language), ""


def _reminder_message(
    reminder: Reminder, plan: tuple, decision, now: datetime, lookups: _Lookups, shared: set
) -> tuple[Message | None, str]:
    """The unsaved outbox row for a reminder under the channel rules' decision, or why not."""

    _, template, language = plan
    appointment = reminder.appointment
    practice, patient = appointment.practice, appointment.patient
    if not decision.allowed and decision.not_before is None:
        return None, decision.reason
    latest = appointment.starts_at - MIN_LEAD[reminder.kind]
    if decision.not_before and decision.not_before >= latest:
        return None, "Quiet hours last until too close to the appointment."
    values = {**lookups.values(practice), **appointment_values(appointment, language)}
    values["first_name"] = patient.first_name
    try:
        body = render(template.body, values)
    except MissingValueError as exc:
        return None, f"Missing values: {', '.join(exc.names)}."
    if (practice.pk, patient.phone) in shared:
        # Several patients share the number: say whom it is for, and nothing more.
        body = f"For {patient.first_name} {patient.last_name[:1]}.: {body}"
    message = Message(
        # A reminder reset by a move (even back to the same time) gets a new key.
        idempotency_key=f"reminder-{reminder.pk}-{reminder.due_at:%Y%m%d%H%M}-"
        f"{reminder.updated.timestamp():.6f}",
        practice=practice,
        patient=patient,
        direction=Message.Direction.OUTBOUND,
        channel=Message.Channel.SMS,
        body=body,
        language=language,
        template=template,
        is_automatic=True,
        purpose=reminder.kind,
        to_number=patient.phone,
        from_number=practice.phone,
        created=now,
        **decision.outbox_state(),
    )
    return message, ""


# ---------------------------------------------------------------------------- callbacks


@transaction.atomic
def schedule_callbacks(*, item: WorkItem, now: datetime) -> list[CallAttempt]:
    """Plan the practice's callback cadence for a missed call: N attempts, set intervals,
    each inside business hours and the patient's preferred window. Idempotent per item."""
    item = (
        WorkItem.objects.select_for_update(of=("self",))
        .select_related("practice", "patient")
        .get(pk=item.pk)
    )
    if item.call_attempts.exists():
        return list(item.call_attempts.all())
    practice = item.practice
    hours = BusinessHours.from_json(practice.timezone, practice.business_hours)
    window = parse_window(item.patient.contact_window) if item.patient else None
    interval = timedelta(minutes=practice.callback_interval_minutes)
    attempts, after = [], now
    for number in range(1, practice.callback_attempts + 1):
        try:
            slot = next_callback_slot(after, hours, window)
        except ValueError:
            # No time in the patient's window within two weeks: business hours still count.
            slot = next_callback_slot(after, hours, None)
        attempts.append(CallAttempt(item=item, number=number, due_at=slot))
        after = slot + interval
    CallAttempt.objects.bulk_create(attempts, ignore_conflicts=True)
    record_item_event(
        item=item,
        service=SERVICE,
        kind="callbacks_scheduled",
        after={"due": [a.due_at.isoformat() for a in attempts]},
        now=now,
    )
    return list(item.call_attempts.all())


def send_callback_fallbacks(*, now: datetime) -> int:
    """After the last unanswered callback attempt, the written fallback (channel rules apply)."""
    items = (
        WorkItem.objects.open()
        .filter(moment__key="missed_call_callback", patient__isnull=False)
        .annotate(
            made=Count("call_attempts", filter=~Q(call_attempts__outcome="scheduled")),
            reached=Count("call_attempts", filter=Q(call_attempts__outcome="reached")),
        )
        .filter(made__gte=F("practice__callback_attempts"), reached=0)
        .exclude(messages__purpose="callback_fallback")
    )
    count = 0
    for item_id in items.values_list("pk", flat=True)[:500]:
        count += _queue_fallback(item_id, now)
    return count


@transaction.atomic
def _queue_fallback(item_id: int, now: datetime) -> int:

    item = WorkItem.objects.select_for_update(skip_locked=True).filter(pk=item_id).first()
    if item is None or item.messages.filter(purpose="callback_fallback").exists():
        return 0
    template = approved_template(
        moment=item.moment, language=item.language, channel="sms", purpose="callback_fallback"
    )
    decision = check_send(patient=item.patient, moment=item.moment, channel="sms", now=now)
    reason = "" if template else "no approved callback_fallback template"
    if template is not None and (decision.allowed or decision.not_before):
        try:
            body = render_for_item(template=template, item=item, now=now)
        except MissingValueError as exc:
            reason = f"missing values: {', '.join(exc.names)}"
    else:
        reason = reason or decision.reason
    if reason:
        record_item_event(
            item=item,
            service=SERVICE,
            kind="callback_fallback_blocked",
            after={"reason": reason},
            now=now,
        )
        return 0
    scheduled = decision.not_before is not None
    message = Message.objects.create(
        practice=item.practice,
        item=item,
        patient=item.patient,
        direction=Message.Direction.OUTBOUND,
        channel=Message.Channel.SMS,
        body=body,
        language=template.language,
        template=template,
        is_automatic=True,
        purpose="callback_fallback",
        to_number=item.patient.phone,
        from_number=item.practice.phone,
        status=Message.Status.SCHEDULED if scheduled else Message.Status.QUEUED,
        send_after=decision.not_before,
        idempotency_key=f"callback-fallback-{item.pk}",
        created=now,
    )
    record_item_event(
        item=item,
        service=SERVICE,
        kind="callback_fallback_queued",
        after={"message": str(message.code)},
        now=now,
    )
    if not scheduled:
        enqueue_delivery(message.pk)
    return 1


# ---------------------------------------------------------------------------- no-shows, deadlines


def open_no_show_items(*, now: datetime) -> int:
    """A recovery item for each recent no-show that has none; one per appointment."""
    ids = Appointment.objects.filter(
        status=Appointment.Status.NO_SHOW,
        recovery_item__isnull=True,
        starts_at__gte=now - NO_SHOW_LOOKBACK,
        starts_at__lte=now,
    ).values_list("pk", flat=True)
    return sum(_open_no_show_item(pk, now) for pk in list(ids[:500]))


@transaction.atomic
def _open_no_show_item(appointment_id: int, now: datetime) -> int:

    appointment = (
        Appointment.objects.select_for_update(skip_locked=True)
        .select_related("practice", "patient")
        .filter(pk=appointment_id, recovery_item__isnull=True)
        .first()
    )
    if appointment is None:
        return 0
    practice = appointment.practice
    when = format_date(appointment.starts_at, practice.timezone, "en")
    item = intake.create_item(
        practice=practice,
        patient=appointment.patient,
        moment=practice.moments.get(key=Lane.NO_SHOW_RECOVERY),
        channel=WorkItem.Channel.SCHEDULE,
        words=f"Missed appointment with {appointment.provider_name} on {when}.",
        language=appointment.patient.preferred_language,
        now=now,
        service=SERVICE,
    )
    Appointment.objects.filter(pk=appointment.pk, recovery_item__isnull=True).update(
        recovery_item=item, updated=now
    )
    return 1


@transaction.atomic
def flag_overdue_items(*, now: datetime) -> int:
    """Items past their first-response target rise in the queue and are flagged to managers."""
    ids = list(
        WorkItem.objects.select_for_update(skip_locked=True)
        .open()
        .filter(first_response_at__isnull=True, due_at__lt=now, raised_to_manager_at=None)
        .values_list("pk", flat=True)[:1000]
    )
    changed = WorkItem.objects.filter(pk__in=ids, raised_to_manager_at=None).update(
        raised_to_manager_at=now,
        priority=F("priority") + OVERDUE_PRIORITY,
        version=F("version") + 1,
        updated=now,
    )
    record_item_events(
        item_ids=ids,
        kind="overdue_flagged",
        now=now,
        service="deadline-watch",
        after={"reason": "past its first-response target"},
    )
    return changed
