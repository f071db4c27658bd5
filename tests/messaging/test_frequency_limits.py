"""A patient gets at most the practice's number of automated messages a day and a week."""

from datetime import timedelta
from functools import partial
from uuid import uuid4

import pytest
from django.db import IntegrityError, transaction

from messaging import delivery
from messaging.frequency import DAY, WEEK, Limits, next_slot
from queue_app.models import Message
from tests import factories
from tests.concurrency import at_once
from tests.messaging.helpers import NOON, outbound
from tests.messaging.test_deliver_message import reminder_like


def automated(practice, patient, **fields) -> Message:
    return reminder_like(practice, patient=patient, idempotency_key=uuid4().hex, **fields)


def sent_at(practice, patient, when) -> Message:
    return automated(practice, patient, status=Message.Status.DELIVERED, claimed_at=when,
                     provider_sid=f"SM{uuid4().hex}")  # fmt: skip


def limited(practice, daily: int, weekly: int):
    practice.automated_daily_limit, practice.automated_weekly_limit = daily, weekly
    practice.save()
    return practice


def test_a_slot_opens_when_enough_messages_have_left_the_window():
    limits = Limits(daily=2, weekly=4)
    assert next_slot([], limits, NOON) is None
    assert next_slot([NOON - timedelta(hours=30)], limits, NOON) is None
    day = [NOON - timedelta(hours=20), NOON - timedelta(hours=5)]
    assert next_slot(day, limits, NOON) == day[0] + DAY
    week = [NOON - timedelta(days=d) for d in (6, 5, 4, 3)]
    assert next_slot(week, limits, NOON) == week[0] + WEEK
    # Both limits reached: the later opening holds.
    both = [NOON - timedelta(days=6), NOON - timedelta(days=5), *day]
    assert next_slot(both, limits, NOON) == max(day[0] + DAY, both[0] + WEEK)


def test_a_batch_sends_up_to_the_limit_and_holds_the_rest(fake_twilio, practice_a):
    limited(practice_a, daily=2, weekly=8)
    patient, other = factories.make_patient(practice_a), factories.make_patient(practice_a)
    mine = [automated(practice_a, patient) for _ in range(4)]
    theirs = automated(practice_a, other)

    ids = [m.pk for m in [*mine, theirs]]
    assert delivery.deliver_messages(message_ids=ids, now=NOON) == {
        "not-claimed": 0,
        "over-limit": 2,
        "sent": 3,
    }

    assert fake_twilio.total_posts() == 3
    statuses = [m.status for m in Message.objects.filter(pk__in=[m.pk for m in mine])]
    assert statuses.count(Message.Status.SENT) == 2
    # The next slot (in 24 hours) comes after these messages stop being worth sending.
    held = Message.objects.filter(pk__in=[m.pk for m in mine]).exclude(status="sent")
    assert {m.status for m in held} == {Message.Status.BLOCKED}
    assert all("limit of automated messages (2 a day, 8 a week)" in m.status_reason for m in held)
    # Nothing sent again on a second run.
    assert delivery.deliver_messages(message_ids=ids, now=NOON)["not-claimed"] == 5
    assert fake_twilio.total_posts() == 3


def test_a_held_message_waits_for_its_slot_then_goes(fake_twilio, practice_a):
    limited(practice_a, daily=2, weekly=8)
    patient = factories.make_patient(practice_a)
    sent_at(practice_a, patient, NOON - timedelta(hours=23, minutes=30))
    sent_at(practice_a, patient, NOON - timedelta(hours=2))
    message = automated(practice_a, patient)

    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "over-limit"
    message.refresh_from_db()
    assert message.status == Message.Status.SCHEDULED
    assert message.send_after == NOON + timedelta(minutes=30)
    assert message.attempts == 0
    assert fake_twilio.total_posts() == 0

    slot = message.send_after
    assert delivery.sweep_stale_messages(now=slot)["scheduled"] == 1
    assert delivery.deliver_message(message_id=message.pk, now=slot) == "sent"
    assert fake_twilio.total_posts() == 1


def test_the_weekly_limit_holds_too(fake_twilio, practice_a):
    limited(practice_a, daily=3, weekly=3)
    patient = factories.make_patient(practice_a)
    first = NOON - timedelta(days=7) + timedelta(minutes=20)
    for when in (first, NOON - timedelta(days=4), NOON - timedelta(days=2)):
        sent_at(practice_a, patient, when)
    message = automated(practice_a, patient)

    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "over-limit"
    message.refresh_from_db()
    assert message.send_after == first + WEEK == NOON + timedelta(minutes=20)


def test_a_persons_reply_and_the_carriers_replies_are_never_held(fake_twilio, practice_a):
    limited(practice_a, daily=1, weekly=1)
    patient = factories.make_patient(practice_a)
    sent_at(practice_a, patient, NOON - timedelta(hours=1))
    item = factories.make_item(practice_a, patient=patient, received_at=NOON - timedelta(hours=1))
    reply = outbound(item)
    confirmation = automated(practice_a, patient, purpose="opt_out_reply", template=None)

    assert delivery.deliver_message(message_id=reply.pk, now=NOON) == "sent"
    assert delivery.deliver_message(message_id=confirmation.pk, now=NOON) == "sent"
    assert fake_twilio.total_posts() == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_never_both_take_the_last_slot(fake_twilio):
    practice = limited(factories.make_practice(), daily=1, weekly=8)
    patients = [factories.make_patient(practice, phone=f"+1202559{n:04d}") for n in range(4)]
    messages = [automated(practice, patient) for patient in patients for _ in range(2)]
    outcomes = at_once(
        *[partial(delivery.deliver_message, message_id=m.pk, now=NOON) for m in messages]
    )

    assert sorted(outcomes) == ["over-limit"] * 4 + ["sent"] * 4
    assert fake_twilio.total_posts() == 4
    sent = Message.objects.filter(status=Message.Status.SENT)
    assert sorted(sent.values_list("patient_id", flat=True)) == sorted(p.pk for p in patients)


def test_the_weekly_limit_may_not_be_below_the_daily_one(db, practice_a):
    practice_a.automated_daily_limit, practice_a.automated_weekly_limit = 5, 4
    with pytest.raises(IntegrityError), transaction.atomic():
        practice_a.save()
