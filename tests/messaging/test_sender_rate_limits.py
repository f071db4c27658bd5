"""A sending number never texts faster than its carrier's rate, whatever the burst.

The worker tests read the fake Twilio's request log: the time each POST arrived and its From.
The rate holds in every 1-second window of that log; the limiter's own window is longer
(rate_limit.WINDOW), which is the room a loaded machine gets between a send taking its turn
and its request arriving. A slow machine only spreads the sends further apart.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
import redis
from django.core.cache import cache
from django.utils import timezone

from messaging import delivery, rate_limit
from messaging.rate_limit import WINDOW, NumberType, number_type, take_turn
from queue_app.models import Message
from tests import factories
from tests.messaging.conftest import awake_quiet_hours
from tests.messaging.helpers import NOON
from tests.messaging.test_deliver_message import reminder_like
from tests.polling import wait_for

LONG_CODE, TOLL_FREE = "+13055550199", "+18005550199"
T0 = 1_000_000.0  # an arbitrary clock for the arithmetic tests


@pytest.fixture(autouse=True)
def _no_turns_taken():
    """The counts live in Redis, which outlives each test: every test starts with none."""
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(match=f"{rate_limit.KEY_PREFIX}*"):
        client.delete(key)
    yield


@pytest.fixture
def limits_on(settings):
    settings.SENDER_RATE_LIMITS = True


# ---------------------------------------------------------------------------- number types


def test_the_number_type_comes_from_the_number():
    assert number_type("+13055550100") == NumberType.LONG_CODE
    assert number_type("+18005550100") == NumberType.TOLL_FREE
    assert number_type("+18885550100") == NumberType.TOLL_FREE
    assert number_type("12345") == NumberType.SHORT_CODE
    assert number_type("123456") == NumberType.SHORT_CODE
    assert number_type("+442071838750") == NumberType.LONG_CODE
    assert [rate_limit.rate_of(n) for n in ("+13055550100", "+18005550100", "12345")] == [
        1,
        3,
        100,
    ]


# ---------------------------------------------------------------------------- the arithmetic


def turn(number: str, message: str, at: float, segments: int = 1) -> float:
    return take_turn(number, segments, ticket=message, now=T0 + at)


def test_a_long_code_sends_one_segment_per_window_and_books_the_rest(db):
    assert turn(LONG_CODE, "a", 0) == 0.0
    # The next turn is a window after the first send: too far to wait for, so it is booked,
    # and each later message is booked one turn after the one before.
    assert turn(LONG_CODE, "b", 0.1) == pytest.approx(WINDOW - 0.1)
    assert turn(LONG_CODE, "c", 0.2) == pytest.approx(2 * WINDOW - 0.2)
    # At its turn the booked message goes; one without a booking may not overtake the queue.
    assert turn(LONG_CODE, "b", WINDOW + 0.01) == 0.0
    assert turn(LONG_CODE, "d", 2 * WINDOW + 0.02) == pytest.approx(WINDOW - 0.02)
    assert turn(LONG_CODE, "c", 2 * WINDOW + 0.02) == 0.0
    # Another number's allowance is its own.
    assert turn("+13055550198", "e", 0.1) == 0.0


def test_a_turn_due_soon_is_not_booked(db):
    assert turn(LONG_CODE, "a", 0) == 0.0
    soon = WINDOW - rate_limit.SHORT_WAIT / 2
    assert turn(LONG_CODE, "b", soon) == pytest.approx(rate_limit.SHORT_WAIT / 2)
    # Nothing was booked: the message that waited takes the very next turn.
    assert turn(LONG_CODE, "b", WINDOW) == 0.0


def test_a_toll_free_number_sends_three_segments_per_window(db):
    assert [turn(TOLL_FREE, m, i / 10) for i, m in enumerate("abc")] == [0.0, 0.0, 0.0]
    assert turn(TOLL_FREE, "d", 0.3) == pytest.approx(WINDOW - 0.3)
    assert turn(TOLL_FREE, "d", WINDOW + 0.01) == 0.0
    # Booked behind d's turn, which held a third of a window; by then the two oldest sends
    # have left, room for two segments.
    assert turn(TOLL_FREE, "e", WINDOW + 0.05, segments=2) == pytest.approx(WINDOW / 3 - 0.05)
    assert turn(TOLL_FREE, "e", WINDOW + WINDOW / 3, segments=2) == 0.0
    # Three segments in the window now: the next goes once d's send has left it.
    assert turn(TOLL_FREE, "f", WINDOW + WINDOW / 3 + 0.01) == pytest.approx(2 * WINDOW / 3)


def test_a_message_longer_than_the_rate_goes_alone_and_fills_its_windows(db):
    assert turn(LONG_CODE, "a", 0, segments=3) == 0.0
    # Three segments on a one-a-second number: nothing else for three windows.
    assert turn(LONG_CODE, "b", 2 * WINDOW) == pytest.approx(WINDOW)
    assert turn(LONG_CODE, "b", 3 * WINDOW + 0.01) == 0.0


def redis_down(monkeypatch) -> None:
    """The limiter's Redis refuses connections (the rest of the suite keeps its own)."""
    unreachable = redis.Redis(port=1, socket_connect_timeout=0.5)
    down = SimpleNamespace(_cache=SimpleNamespace(get_client=lambda write: unreachable))
    monkeypatch.setattr(rate_limit, "cache", down)


def test_without_redis_no_message_may_go(db, monkeypatch):
    redis_down(monkeypatch)
    assert take_turn(LONG_CODE, 1, ticket="a") >= rate_limit.UNKNOWN_WAIT


# ---------------------------------------------------------------------------- in the worker


def test_a_batch_sends_one_and_requeues_the_rest_until_their_turns(
    fake_twilio, practice_a, limits_on
):
    practice_a.automated_daily_limit = 1
    practice_a.save()
    first = reminder_like(practice_a)
    # A STOP confirmation takes its turn too: the rate is the carrier's rule.
    confirmation = reminder_like(practice_a, idempotency_key="stop", purpose="opt_out_reply",
                                 template=None)  # fmt: skip
    other = reminder_like(practice_a)

    results = delivery.deliver_messages(message_ids=[first.pk, confirmation.pk, other.pk], now=NOON)

    assert results == {"not-claimed": 0, "sent": 1, "rate-limited": 2}
    assert fake_twilio.total_posts() == 1
    waiting = Message.objects.filter(pk__in=[confirmation.pk, other.pk]).order_by("send_after")
    assert [m.status for m in waiting] == [Message.Status.QUEUED] * 2
    # Booked one turn after the other, the attempt given back.
    assert NOON < waiting[0].send_after < waiting[1].send_after
    assert [m.attempts for m in waiting] == [0, 0]
    # Its turn come, the message goes: waiting did not count against the patient's limit of
    # one automated message a day.
    cache._cache.get_client(write=True).delete(rate_limit.KEY_PREFIX + practice_a.phone)
    turn = Message.objects.get(pk=other.pk).send_after
    assert delivery.deliver_message(message_id=other.pk, now=turn) == "sent"
    assert fake_twilio.total_posts() == 2


def test_without_redis_the_message_waits_and_is_not_lost(
    fake_twilio, practice_a, limits_on, monkeypatch
):
    redis_down(monkeypatch)
    message = reminder_like(practice_a)

    assert delivery.deliver_message(message_id=message.pk, now=NOON) == "rate-limited"

    message.refresh_from_db()
    assert fake_twilio.total_posts() == 0
    assert message.status == Message.Status.QUEUED
    assert message.attempts == 0
    assert message.send_after >= NOON + timedelta(seconds=rate_limit.UNKNOWN_WAIT)


# ---------------------------------------------------------------------------- a real worker


@pytest.fixture
def rate_limited_worker(_worker_process, fake_twilio, transactional_db, limits_on, monkeypatch):
    """The real worker (tests/messaging/conftest.py `worker`) with the senders' limits on."""
    _worker_process.stop()
    monkeypatch.setenv("SENDER_RATE_LIMITS", "True")
    _worker_process.start()
    yield _worker_process
    _worker_process.stop()


def burst(practice, count: int, now) -> list[Message]:
    """`count` reminders from the practice's number, each its own delivery task, at once."""
    messages = [reminder_like(practice, now=now) for _ in range(count)]
    for message in messages:
        delivery.enqueue_delivery(message.pk)
    return messages


def all_sent(messages: list[Message]) -> bool:
    pks = [m.pk for m in messages]
    return Message.objects.filter(pk__in=pks, status=Message.Status.SENT).count() == len(pks)


@pytest.mark.worker
@pytest.mark.slow
def test_a_burst_to_one_long_code_is_spread_at_its_rate(rate_limited_worker, fake_twilio):
    now = timezone.now()
    practice = factories.make_practice(phone=LONG_CODE)
    awake_quiet_hours(practice, now)
    messages = burst(practice, 6, now)

    assert wait_for(lambda: all_sent(messages), timeout=60)

    codes = {str(m.code) for m in messages}
    assert fake_twilio.accepted_counts() == {code: 1 for code in codes}
    assert len(fake_twilio.sends_from(LONG_CODE)) == 6
    assert fake_twilio.most_in_a_second(LONG_CODE) == 1


@pytest.mark.worker
@pytest.mark.slow
def test_two_numbers_in_parallel_each_keep_their_own_rate(rate_limited_worker, fake_twilio):
    now = timezone.now()
    clinic = factories.make_practice(phone=LONG_CODE)
    hotline = factories.make_practice(phone=TOLL_FREE)
    for practice in (clinic, hotline):
        awake_quiet_hours(practice, now)
    messages = burst(clinic, 4, now) + burst(hotline, 9, now)

    assert wait_for(lambda: all_sent(messages), timeout=60)

    codes = {str(m.code) for m in messages}
    assert fake_twilio.accepted_counts() == {code: 1 for code in codes}
    long_code = fake_twilio.sends_from(LONG_CODE)
    toll_free = fake_twilio.sends_from(TOLL_FREE)
    assert (len(long_code), len(toll_free)) == (4, 9)
    assert fake_twilio.most_in_a_second(LONG_CODE) == 1
    assert fake_twilio.most_in_a_second(TOLL_FREE) <= 3
    # In parallel, not one after the other: the toll-free number did not wait for the other.
    assert min(toll_free) < max(long_code)
