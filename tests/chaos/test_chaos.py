"""Faults in the middle of a batch of reminders; after each, every reminder's text reaches
the provider exactly once and no outbox row is left unfinished (docs/RELIABILITY.md).

Each scenario runs a real worker and a real beat on a Redis server of its own (see
conftest.py) and the fake Twilio over HTTP. What is asserted is the outcome a patient would
notice, read from the provider's request log and the database; how long recovery takes is
measured by bench/chaos.py, not asserted here. Waits are polled deadlines far above it. The
PostgreSQL restart, on a cluster of its own, also asserts the documented bound.
"""

import time

import pytest

from tests.chaos.conftest import SETTLE, schedule_reminders
from tests.polling import wait_for

pytestmark = [pytest.mark.slow, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
COUNT = 200
# docs/RELIABILITY.md's promise: every message final within 60 s after the fault ends.
RECOVERY_BOUND = 60


def start_slow_batch(chaos, count: int = COUNT) -> None:
    """Reminders due, the periodic job sent, Twilio slowed so a fault lands mid-batch."""
    schedule_reminders(count)
    chaos.fake.delay = 0.05
    chaos.send_due_reminders()


def test_sigkill_of_the_worker_mid_batch(chaos):
    start_slow_batch(chaos)
    assert wait_for(lambda: chaos.accepted() >= 30, timeout=120)

    chaos.worker.kill()  # its claimed rows stay SENDING, its reserved tasks unacked
    assert chaos.accepted() < COUNT, "the batch finished before the kill"
    chaos.fake.delay = 0
    chaos.worker.start()

    assert wait_for(lambda: chaos.settled(COUNT), timeout=SETTLE)
    chaos.assert_each_sent_once(COUNT)


def test_redis_restart_mid_batch_loses_the_queue_not_the_messages(chaos):
    start_slow_batch(chaos)
    assert wait_for(lambda: chaos.accepted() >= 20, timeout=120)

    chaos.redis.restart()  # every queued and reserved task is gone
    assert chaos.accepted() < COUNT, "the batch finished before the restart"
    chaos.fake.delay = 0

    # The worker and beat reconnect by themselves; the sweeper re-enqueues the rows.
    assert wait_for(lambda: chaos.settled(COUNT), timeout=SETTLE)
    chaos.assert_each_sent_once(COUNT)


def test_a_beat_restart_neither_doubles_nor_skips_a_run(chaos):
    # Beat alone starts the work here, every 2 s, so a restart falls between runs.
    chaos.every("Send due appointment reminders", seconds=2)
    schedule_reminders(60)
    assert wait_for(lambda: chaos.settled(60), timeout=SETTLE)

    chaos.beat.kill()
    # Reminders falling due while beat is down are sent by its first runs after the restart.
    schedule_reminders(60, offset=60)
    chaos.beat.start()
    assert wait_for(lambda: chaos.settled(120), timeout=SETTLE)

    # Two beats at once (a deploy overlapping the old one) run each job twice as often.
    second = type(chaos.beat)(chaos.beat.env, chaos.folder / "beat2.log")
    second.start()
    try:
        schedule_reminders(60, offset=120)
        assert wait_for(lambda: chaos.settled(180), timeout=SETTLE)
    finally:
        second.kill()
    chaos.assert_each_sent_once(180)


def test_a_flaky_provider_loses_and_doubles_nothing(chaos):
    # An incident: one POST in five answered 500, one in ten 429, one in twenty taken and
    # the connection dropped before the answer (the sender cannot know it was accepted).
    chaos.fake.flaky = {"500": 0.2, "429": 0.1, "drop": 0.05}
    schedule_reminders(COUNT)
    chaos.send_due_reminders()
    assert wait_for(lambda: len(chaos.fake.posts) == COUNT, timeout=120)
    chaos.fake.flaky = {}  # the incident ends once every message was tried

    assert wait_for(lambda: chaos.settled(COUNT), timeout=SETTLE)
    chaos.assert_each_sent_once(COUNT)
    answers = [action for actions in chaos.fake.posts.values() for action in actions]
    assert {"500", "429", "drop"} <= set(answers)


def test_postgresql_restart_mid_batch_loses_and_doubles_nothing(chaos_postgres):
    chaos = chaos_postgres
    start_slow_batch(chaos)
    assert wait_for(lambda: chaos.accepted() >= 20, timeout=120)

    # Every session cut mid-query: claims, sends being recorded, the sweeper, beat.
    chaos.restart_postgres(down=3)
    back = time.monotonic()
    assert chaos.accepted() < COUNT, "the batch finished before the restart"
    chaos.fake.delay = 0

    # Workers and beat reconnect by themselves; failed delivery tasks are retried.
    assert wait_for(lambda: chaos.settled(COUNT), timeout=SETTLE), chaos.outbox()
    recovered = time.monotonic() - back
    chaos.assert_each_sent_once(COUNT)
    print(f"all final {recovered:.0f} s after PostgreSQL was back")
    assert recovered < RECOVERY_BOUND
