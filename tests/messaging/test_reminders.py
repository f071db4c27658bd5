"""Reminders follow their appointment; periodic jobs create nothing twice."""

from datetime import UTC, datetime, timedelta

import pytest

from messaging import reminders
from messaging.schedules import SCHEDULE
from queue_app.clock import QuietHours, in_quiet_hours, zone
from queue_app.jobs import ensure_periodic_tasks
from queue_app.models import Appointment, CallAttempt, Message, Reminder
from tests import factories
from tests.concurrency import at_once
from tests.messaging.helpers import NOON

NY = zone("America/New_York")


def booked(patient, starts_at, **overrides) -> Appointment:
    appointment = factories.make_appointment(patient, starts_at=starts_at, **overrides)
    reminders.sync_reminders(appointment=appointment, now=NOON)
    return appointment


def test_sync_creates_one_row_per_kind_and_nothing_twice(db, patient):
    appointment = booked(patient, NOON + timedelta(days=5))
    reminders.sync_reminders(appointment=appointment, now=NOON)

    rows = {r.kind: r for r in Reminder.objects.filter(appointment=appointment)}
    assert set(rows) == {"confirmation_request", "reminder"}
    assert rows["reminder"].due_at == appointment.starts_at - timedelta(hours=24)
    assert rows["confirmation_request"].due_at == appointment.starts_at - timedelta(hours=72)


def test_a_telehealth_visit_also_gets_the_link_an_hour_before(db, patient):
    appointment = booked(patient, NOON + timedelta(days=5), kind="telehealth",
                         telehealth_link="https://visit.example.com/j/1")  # fmt: skip
    link = Reminder.objects.get(appointment=appointment, kind="telehealth_link")
    assert link.due_at == appointment.starts_at - timedelta(hours=1)


def test_offsets_come_from_the_practice(db, practice_a, patient):
    practice_a.reminder_offsets = {"reminder": 48 * 60}
    practice_a.save()
    appointment = booked(patient, NOON + timedelta(days=5))
    assert Reminder.objects.get(appointment=appointment, kind="reminder").due_at == (
        appointment.starts_at - timedelta(hours=48)
    )


def test_reminders_follow_a_moved_appointment_and_cancel_the_old_message(db, patient):
    appointment = booked(patient, NOON + timedelta(days=2, hours=12))
    reminders.send_due_reminders(now=NOON)
    old = Message.objects.get(purpose="confirmation_request")
    assert old.status == "queued"

    appointment.starts_at += timedelta(days=7)
    appointment.ends_at += timedelta(days=7)
    appointment.save()
    reminders.sync_reminders(appointment=appointment, now=NOON)

    old.refresh_from_db()
    assert old.status == "cancelled"
    moved = Reminder.objects.get(appointment=appointment, kind="confirmation_request")
    assert (moved.status, moved.message) == ("pending", None)
    assert moved.due_at == appointment.starts_at - timedelta(hours=72)
    # Due again at the new time: a fresh message, never the cancelled one.
    reminders.send_due_reminders(now=moved.due_at)
    fresh = Message.objects.filter(purpose="confirmation_request").exclude(pk=old.pk)
    assert fresh.count() == 1 and fresh.get().status in ("queued", "scheduled")


def test_a_cancelled_appointment_cancels_its_pending_reminders(db, patient):
    appointment = booked(patient, NOON + timedelta(days=2, hours=12))
    reminders.send_due_reminders(now=NOON)
    appointment.status = Appointment.Status.CANCELLED
    appointment.save()
    reminders.sync_reminders(appointment=appointment, now=NOON)

    assert set(Reminder.objects.values_list("status", flat=True)) == {"cancelled"}
    assert Message.objects.get(purpose="confirmation_request").status == "cancelled"


def test_a_due_reminder_is_queued_once_in_the_patients_language(db, practice_a):
    patient = factories.make_patient(practice_a, preferred_language="es")
    booked(patient, NOON + timedelta(days=2, hours=12))

    assert reminders.send_due_reminders(now=NOON) == 1
    assert reminders.send_due_reminders(now=NOON) == 0

    message = Message.objects.get()
    assert message.language == "es" and "Responda C" in message.body
    assert message.is_automatic and message.template.purpose == "confirmation_request"


def test_an_opted_out_patient_gets_no_reminder(db, patient):
    patient.opted_out_at = NOON - timedelta(days=1)
    patient.save()
    booked(patient, NOON + timedelta(days=2, hours=12))

    assert reminders.send_due_reminders(now=NOON) == 0
    skipped = Reminder.objects.get(kind="confirmation_request")
    assert skipped.status == "skipped" and "opted out" in skipped.status_reason
    assert not Message.objects.exists()


def test_a_shared_number_reminder_names_whom_it_is_for(db, practice_a):
    one = factories.make_patient(practice_a, phone="+12025550444", first_name="Ana")
    factories.make_patient(practice_a, phone="+12025550444", first_name="Luis")
    booked(one, NOON + timedelta(days=2, hours=12))
    reminders.send_due_reminders(now=NOON)
    assert Message.objects.get().body.startswith(f"For Ana {one.last_name[0]}.: ")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("due_local", "morning_utc"),
    [
        # Spring forward: 02:30 does not exist on 2026-03-08; quiet hours end 08:00 EDT.
        (datetime(2026, 3, 8, 1, 30), datetime(2026, 3, 8, 12, 0, tzinfo=UTC)),
        # Fall back: 01:30 happens twice on 2026-11-01; quiet hours end 08:00 EST.
        (datetime(2026, 11, 1, 1, 30), datetime(2026, 11, 1, 13, 0, tzinfo=UTC)),
    ],
)
def test_quiet_hours_hold_across_daylight_saving_changes(db, patient, due_local, morning_utc):
    due = due_local.replace(tzinfo=NY)
    booked(patient, due + timedelta(hours=24))
    due_at = Reminder.objects.get(kind="reminder").due_at
    # 24 hours of elapsed time before the visit, inside the night's quiet hours.
    assert in_quiet_hours(due_at, NY, QuietHours())

    reminders.send_due_reminders(now=due_at + timedelta(minutes=1))

    message = Message.objects.get(purpose="reminder")
    assert message.status == "scheduled"
    assert message.send_after == morning_utc
    assert message.send_after.astimezone(NY).hour == 8


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_runs_queue_each_reminder_once():
    practice = factories.make_practice()
    for n in range(20):
        patient = factories.make_patient(practice, phone=f"+1202558{n:04d}")
        booked(patient, NOON + timedelta(days=2, hours=12))
    results = at_once(*[lambda: reminders.send_due_reminders(now=NOON)] * 2)

    assert sum(results) == 20
    assert Message.objects.count() == 20


def test_callbacks_fall_in_business_hours_and_the_patients_window(db, practice_a):
    patient = factories.make_patient(practice_a, contact_window="after 3 pm")
    item = factories.make_item(practice_a, patient=patient, key="missed_call_callback",
                               received_at=NOON)  # fmt: skip

    attempts = reminders.schedule_callbacks(item=item, now=NOON)
    assert reminders.schedule_callbacks(item=item, now=NOON) == attempts

    assert [a.number for a in attempts] == [1, 2, 3]
    for attempt in attempts:
        local = attempt.due_at.astimezone(NY)
        assert local.weekday() < 5 and 15 <= local.hour < 17
    gaps = [b.due_at - a.due_at for a, b in zip(attempts, attempts[1:], strict=False)]
    assert all(gap >= timedelta(minutes=practice_a.callback_interval_minutes) for gap in gaps)
    assert item.events.filter(kind="callbacks_scheduled").count() == 1


def test_after_the_last_unanswered_callback_the_written_fallback_goes_once(db, practice_a):
    patient = factories.make_patient(practice_a)
    item = factories.make_item(practice_a, patient=patient, key="missed_call_callback",
                               received_at=NOON - timedelta(days=1))  # fmt: skip
    reminders.schedule_callbacks(item=item, now=NOON - timedelta(days=1))
    assert reminders.send_callback_fallbacks(now=NOON) == 0
    CallAttempt.objects.filter(item=item).update(
        outcome=CallAttempt.Outcome.NO_ANSWER, attempted_at=NOON
    )

    assert reminders.send_callback_fallbacks(now=NOON) == 1
    assert reminders.send_callback_fallbacks(now=NOON) == 0
    message = item.messages.get(purpose="callback_fallback")
    assert "tried to call you" in message.body
    assert item.events.filter(kind="callback_fallback_queued").count() == 1


def test_a_no_show_opens_one_recovery_item(db, patient):
    appointment = factories.make_appointment(patient, starts_at=NOON - timedelta(hours=3),
                                             status=Appointment.Status.NO_SHOW)  # fmt: skip

    assert reminders.open_no_show_items(now=NOON) == 1
    assert reminders.open_no_show_items(now=NOON) == 0

    appointment.refresh_from_db()
    item = appointment.recovery_item
    assert item.moment.key == "no_show_recovery" and item.channel == "schedule"


def test_an_overdue_item_rises_and_is_flagged_once(db, practice_a, patient):
    item = factories.make_item(practice_a, patient=patient, received_at=NOON - timedelta(hours=5))

    assert reminders.flag_overdue_items(now=NOON) == 1
    assert reminders.flag_overdue_items(now=NOON) == 0

    item.refresh_from_db()
    assert item.raised_to_manager_at == NOON and item.priority == reminders.OVERDUE_PRIORITY
    assert item.events.filter(kind="overdue_flagged").count() == 1


def test_periodic_tasks_live_in_the_database_and_setup_is_idempotent(db):
    from django_celery_beat.models import PeriodicTask

    ensure_periodic_tasks(SCHEDULE)
    assert ensure_periodic_tasks(SCHEDULE) == 0
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert set(SCHEDULE) <= names
    from config.celery import app

    app.loader.import_default_modules()
    for task, _ in SCHEDULE.values():
        assert task in app.tasks


def due_reminders(now):
    return list(
        Reminder.objects.filter(status="pending", due_at__lte=now)
        .select_related("appointment__patient", "appointment__practice")
        .order_by("pk")
    )


def test_a_batch_run_twice_creates_each_reminders_message_once(db, practice_a):
    for n in range(5):
        patient = factories.make_patient(practice_a, phone=f"+1202557{n:04d}")
        booked(patient, NOON + timedelta(days=2, hours=12))
    # Two runs that read the same pending rows (as two runs without locks would).
    first, second = due_reminders(NOON), due_reminders(NOON)

    assert reminders.queue_reminders(reminders=first, now=NOON) == 5
    assert reminders.queue_reminders(reminders=second, now=NOON) == 5

    assert Message.objects.count() == 5
    rows = Reminder.objects.filter(kind="confirmation_request")
    assert set(rows.values_list("status", flat=True)) == {"queued"}
    assert sorted(rows.values_list("message_id", flat=True)) == sorted(
        Message.objects.values_list("pk", flat=True)
    )


def test_a_batch_costs_the_same_few_queries_whatever_its_size(
    db, practice_a, django_assert_max_num_queries
):
    for n in range(40):
        patient = factories.make_patient(practice_a, phone=f"+1202559{n:04d}",
                                         preferred_language="es" if n % 2 else "en")  # fmt: skip
        booked(patient, NOON + timedelta(days=2, hours=12))

    # Lock, practices, shared numbers, moment, templates (2 languages), rules, consents,
    # insert, read back, reminder update, and the savepoints of two nested atomic blocks.
    with django_assert_max_num_queries(15):
        assert reminders.send_due_reminders(now=NOON) == 40
    assert Message.objects.filter(status="queued").count() == 40


def test_a_batch_skips_whom_the_channel_rules_refuse_and_queues_the_rest(db, practice_a):
    from queue_app.models import Consent

    ok = factories.make_patient(practice_a, phone="+12025551001")
    stopped = factories.make_patient(practice_a, phone="+12025551002")
    withdrawn = factories.make_patient(practice_a, phone="+12025551003")
    stopped.opted_out_at = NOON - timedelta(days=1)
    stopped.save()
    Consent.objects.create(patient=withdrawn, channel="sms", granted=False,
                           recorded_at=NOON + timedelta(days=900), source="phone call")  # fmt: skip
    for patient in (ok, stopped, withdrawn):
        booked(patient, NOON + timedelta(days=2, hours=12))

    assert reminders.send_due_reminders(now=NOON) == 1

    assert Message.objects.get().patient == ok
    statuses = dict(
        Reminder.objects.filter(kind="confirmation_request").values_list(
            "appointment__patient_id", "status_reason"
        )
    )
    assert statuses[ok.pk] == ""
    assert "opted out" in statuses[stopped.pk]
    assert "No SMS consent" in statuses[withdrawn.pk]
