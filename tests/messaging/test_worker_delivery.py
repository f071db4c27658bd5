"""Exactly-once delivery through a real Redis broker and a real Celery worker process.

The worker runs `celery -A config worker` on the committed pytest database and talks to the
local fake Twilio; the fake counts what it accepted per message. Twilio is faked at the HTTP
layer only.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging import delivery, reminders
from queue_app.models import Message, Reminder
from tests import factories
from tests.messaging.conftest import awake_quiet_hours
from tests.polling import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
FINAL = {"sent", "delivered", "failed", "undelivered", "blocked", "cancelled"}


def schedule_reminders(count: int):
    """`count` confirmation requests due now (appointments in 50 h), committed."""
    now = timezone.now()
    practice = factories.make_practice(languages=["en"])
    awake_quiet_hours(practice, now)
    for n in range(count):
        patient = factories.make_patient(practice, phone=f"+1202556{n:04d}")
        appointment = factories.make_appointment(patient, starts_at=now + timedelta(hours=50))
        reminders.sync_reminders(appointment=appointment, now=now)
    return practice, now


def outbox():
    return Message.objects.filter(direction="out")


def all_final() -> bool:
    return not outbox().exclude(status__in=FINAL).exists()


def test_a_batch_of_50_reminders_is_sent_exactly_once_each(worker, fake_twilio):
    _, now = schedule_reminders(50)

    assert reminders.send_due_reminders(now=now) == 50
    # A second beat, or an overlapping run, finds nothing more to do.
    assert reminders.send_due_reminders(now=now) == 0
    assert wait_for(all_final, timeout=60)

    codes = {str(code) for code in outbox().values_list("code", flat=True)}
    assert len(codes) == 50
    assert set(outbox().values_list("status", flat=True)) == {"sent"}
    assert fake_twilio.accepted_counts() == {code: 1 for code in codes}
    assert fake_twilio.total_posts() == 50
    assert Reminder.objects.filter(kind="confirmation_request", status="queued").count() == 50


def test_sigkill_of_the_worker_mid_batch_still_sends_each_once(worker, fake_twilio):
    _, now = schedule_reminders(50)
    fake_twilio.delay = 0.15  # slow Twilio: the kill lands with requests in flight

    reminders.send_due_reminders(now=now)
    assert wait_for(lambda: sum(fake_twilio.accepted_counts().values()) >= 8, timeout=30)
    worker.kill()
    killed_with = sum(fake_twilio.accepted_counts().values())
    assert killed_with < 50, "the batch finished before the kill; slow the fake down"
    fake_twilio.delay = 0

    killed_at = timezone.now()
    worker.start()
    # The new worker drains what is still in the broker; the killed worker's reserved,
    # unacknowledged tasks stay there until the visibility timeout, and its in-flight rows
    # stay SENDING. Once the new worker is idle, the sweeper (as beat would run it minutes
    # later, past the lease) takes over.
    assert wait_for(lambda: idle_since(killed_at), timeout=60)
    later = timezone.now() + timedelta(minutes=10)
    stuck = outbox().filter(status__in=["sending", "unknown"]).count()
    counts = delivery.sweep_stale_messages(now=later)
    assert counts["reconciled"] + counts["resent"] == stuck
    assert wait_for(all_final, timeout=60)

    codes = {str(code) for code in outbox().values_list("code", flat=True)}
    assert set(outbox().values_list("status", flat=True)) == {"sent"}
    assert fake_twilio.accepted_counts() == {code: 1 for code in codes}
    assert len(codes) == 50


def idle_since(moment) -> bool:
    """No row is being sent by a live worker (claimed after `moment`) for half a second."""
    import time

    for _ in range(5):
        if outbox().filter(status="sending", claimed_at__gt=moment).exists():
            return False
        time.sleep(0.1)
    return True


def test_a_timeout_after_acceptance_gives_no_duplicate(worker, fake_twilio):
    _, now = schedule_reminders(5)
    message_codes = []

    def drop_first_posts():
        for message in outbox():
            fake_twilio.script[str(message.code)] = ["drop"]
            message_codes.append(str(message.code))

    reminders.send_due_reminders(now=now)
    drop_first_posts()  # scripted before the worker's first POST is answered? not guaranteed
    assert wait_for(all_final_or_unknown, timeout=30)
    delivery.sweep_stale_messages(now=timezone.now() + timedelta(minutes=5))
    assert wait_for(all_final, timeout=30)

    assert set(outbox().values_list("status", flat=True)) == {"sent"}
    assert all(count == 1 for count in fake_twilio.accepted_counts().values())
    assert len(fake_twilio.accepted_counts()) == 5


def all_final_or_unknown() -> bool:
    return not outbox().exclude(status__in=FINAL | {"unknown"}).exists()


def test_a_rolled_back_transaction_sends_nothing_and_a_committed_one_sends_once(
    worker, fake_twilio
):
    from django.db import transaction

    practice, now = schedule_reminders(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        reminders.send_due_reminders(now=now)
        raise RuntimeError("the request failed after queuing")
    assert not outbox().exists()

    reminders.send_due_reminders(now=now)
    assert wait_for(all_final, timeout=30)
    assert fake_twilio.total_posts() == 1
