"""A message the provider keeps refusing: tried for hours, then shown to people, never dropped.

The provider is the local fake Twilio answering 500 over HTTP; the real SDK and client run.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.html import escape

from messaging import delivery, reminders, retries
from queue_app.models import DeadLetter, ItemEvent, Message, Reminder, WorkItem
from tests import factories
from tests.messaging.helpers import NOON, outbound
from tests.security.helpers import verified_client

T = NOON
S = timedelta(seconds=1)


def drive(message: Message, start) -> list:
    """Deliver the message each time it is due again, as the worker would; the try times."""
    now, tries = start, []
    while True:
        outcome = delivery.deliver_message(message_id=message.pk, now=now)
        assert outcome in ("retry", "failed", "sent"), outcome
        tries.append(now)
        message.refresh_from_db()
        if message.status != Message.Status.QUEUED:
            return tries
        now = message.send_after


def test_a_reply_is_tried_for_two_hours_doubling_the_wait():
    schedule = retries.retry_schedule(first_try=T, deadline=T + timedelta(hours=2))

    offsets = [int((when - T).total_seconds()) for when in schedule]
    assert offsets == [0, 10, 30, 70, 150, 310, 630, 1270, 2550, 5110, 7200]


def test_a_reminder_is_tried_for_a_day_never_waiting_more_than_six_hours():
    deadline = retries.give_up_at(
        created=T, appointment_starts=T + timedelta(days=3), kind=Reminder.Kind.REMINDER
    )
    schedule = retries.retry_schedule(first_try=T, deadline=deadline)

    assert deadline == T + timedelta(hours=24)
    hours = [round((when - T).total_seconds() / 3600, 2) for when in schedule]
    assert hours[-5:] == [5.69, 11.38, 17.38, 23.38, 24.0]
    gaps = [later - earlier for earlier, later in zip(schedule, schedule[1:], strict=False)]
    assert max(gaps) == timedelta(hours=6)
    assert len(schedule) == 16


def test_a_reminder_stops_when_it_could_no_longer_arrive_in_time():
    # A telehealth link needs 10 minutes' lead: for a visit in 5 hours, 4 h 50 min of tries.
    deadline = retries.give_up_at(
        created=T, appointment_starts=T + timedelta(hours=5), kind=Reminder.Kind.TELEHEALTH_LINK
    )
    schedule = retries.retry_schedule(first_try=T, deadline=deadline)

    assert deadline == T + timedelta(hours=4, minutes=50)
    assert schedule[-1] == deadline
    assert all(when <= deadline for when in schedule)


def test_the_spread_only_shortens_a_wait_and_is_fixed_per_message():
    assert retries.spread_of(41) == retries.spread_of(41) != retries.spread_of(42)
    for tries in range(1, 20):
        plain = retries.backoff(tries)
        spread = retries.backoff(tries, spread=retries.spread_of(tries))
        assert plain * 0.8 <= spread <= plain <= timedelta(hours=6)


@pytest.fixture
def waiting_item(practice_a, patient):
    owner = factories.make_user("owner-giveup", practice_a, "assistant")
    return factories.make_item(
        practice_a,
        patient=patient,
        received_at=NOON - timedelta(hours=1),
        status="waiting",
        owner=owner,
    )


def test_a_refused_reply_is_tried_on_schedule_then_handed_back_to_its_owner(
    fake_twilio, waiting_item
):
    message = outbound(waiting_item, created=NOON)
    fake_twilio.script[str(message.code)] = ["500"] * 40

    tries = drive(message, NOON)

    expected = retries.retry_schedule(
        first_try=NOON, deadline=NOON + retries.REPLY_WINDOW, spread=retries.spread_of(message.pk)
    )
    assert tries == expected
    assert len(fake_twilio.posts[str(message.code)]) == len(expected)
    assert message.status == Message.Status.FAILED
    assert message.status_reason.startswith("The text to the patient could not be delivered: ")
    assert "kept failing on its side" in message.status_reason
    letter = DeadLetter.objects.get(kind="message", object_id=message.pk)
    assert letter.attempts == len(expected) and letter.resolved_at is None
    waiting_item.refresh_from_db()
    assert waiting_item.status == WorkItem.Status.ASSIGNED
    failed = ItemEvent.objects.get(item=waiting_item, kind="message_failed")
    assert failed.after["reason"] == message.status_reason
    assert ItemEvent.objects.filter(item=waiting_item, kind="resumed").exists()
    # The owner sees it in the item's conversation, in plain words.
    page = verified_client(waiting_item.owner).get(
        reverse("queue:item", kwargs={"code": waiting_item.code})
    )
    assert escape(message.status_reason) in page.content.decode()


def test_a_provider_back_within_the_window_sends_the_message_once(fake_twilio, waiting_item):
    message = outbound(waiting_item, created=NOON)
    fake_twilio.script[str(message.code)] = ["500"] * 6

    tries = drive(message, NOON)

    assert message.status == Message.Status.SENT
    assert len(tries) == 7
    assert len(fake_twilio.accepted[str(message.code)]) == 1
    assert not DeadLetter.objects.exists()


def test_a_refused_reminder_fails_its_reminder_row_and_opens_an_item_in_its_lane(
    fake_twilio, practice_a, patient
):
    appointment = factories.make_appointment(patient, starts_at=NOON + timedelta(hours=6))
    reminders.sync_reminders(appointment=appointment, now=NOON)
    assert reminders.send_due_reminders(now=NOON) == 1
    message = Message.objects.get(purpose=Reminder.Kind.REMINDER)
    fake_twilio.script[str(message.code)] = ["500"] * 40

    tries = drive(message, NOON)

    # The 24-hour reminder needs two hours' lead: tries stop 4 hours from now.
    assert tries[-1] == NOON + timedelta(hours=4)
    assert len(fake_twilio.posts[str(message.code)]) == len(tries)
    reminder = Reminder.objects.get(appointment=appointment, kind=Reminder.Kind.REMINDER)
    assert reminder.status == Reminder.Status.FAILED
    assert "could not be delivered" in reminder.status_reason
    item = WorkItem.objects.get(patient=patient, moment__key="appointment_time_question")
    assert item.status in (WorkItem.Status.NEW, WorkItem.Status.ASSIGNED)
    assert item.boundary == WorkItem.Boundary.ADMINISTRATIVE
    assert item.patient_words.startswith("Reminder with preparation for the appointment on ")
    assert "The text to the patient could not be delivered" in item.patient_words
    assert DeadLetter.objects.filter(kind="message", object_id=message.pk).count() == 1


def test_a_reminder_to_an_invalid_number_fails_at_once_and_opens_an_item(
    fake_twilio, practice_a, patient
):
    appointment = factories.make_appointment(patient, starts_at=NOON + timedelta(hours=6))
    reminders.sync_reminders(appointment=appointment, now=NOON)
    reminders.send_due_reminders(now=NOON)
    message = Message.objects.get(purpose=Reminder.Kind.REMINDER)
    fake_twilio.script[str(message.code)] = ["21211"]

    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "failed"

    reminder = Reminder.objects.get(appointment=appointment, kind=Reminder.Kind.REMINDER)
    assert reminder.status == Reminder.Status.FAILED
    item = WorkItem.objects.get(patient=patient, moment__key="appointment_time_question")
    assert "phone number on file is not valid" in item.patient_words
    # Retrying cannot fix a wrong number: no dead letter, the item is the way forward.
    assert not DeadLetter.objects.exists()


def test_a_long_wait_is_left_to_the_sweeper_not_held_by_the_broker(
    fake_twilio, waiting_item, django_capture_on_commit_callbacks
):
    message = outbound(waiting_item, created=NOON, attempts=10)
    fake_twilio.script[str(message.code)] = ["500"]

    with django_capture_on_commit_callbacks() as held:
        assert delivery.deliver_message(message_id=message.pk, now=NOON) == "retry"
    message.refresh_from_db()
    assert message.send_after - NOON > timedelta(minutes=30)
    assert held == []

    with django_capture_on_commit_callbacks() as swept:
        counts = delivery.sweep_stale_messages(now=message.send_after + timedelta(minutes=3))
    assert counts["requeued"] == 1 and len(swept) == 1
