"""How fast one sending number may text: its carrier's rate, shared by every worker.

Carriers take so many message segments a second from a number, by the number's type (Twilio's
figures for the US and Canada):

- long code, an ordinary local number: 1 segment a second
  (https://www.twilio.com/help/faq/sms/how-quickly-can-i-send-sms-messages);
- toll-free: 3 segments a second by default
  (https://support.twilio.com/hc/en-us/articles/4411046744987);
- short code, 5 or 6 digits: 100 segments a second
  (https://www.twilio.com/docs/api/errors/30001).

Twilio queues what comes faster and fails it after hours (errors 30001, 21611), and carriers
filter numbers that push bursts; so the worker keeps the pace itself. Each SMS takes its
segments from its number's allowance right before its request to Twilio (`twilio_client.
send_sms`): at most `rate` segments in any WINDOW seconds, a little more than the carrier's
second, so that the time between taking a turn and the request reaching Twilio can never
squeeze two turns into one second. A message whose turn is further off than SHORT_WAIT books
the next free turn and goes back to the queue until then; booked turns keep their order.
STOP and HELP confirmations take their turn too: the rate is the carrier's rule, whatever the
message. The type is read from the number (phonenumbers knows toll-free prefixes; a short
code is 5 or 6 digits). With a Messaging Service (TWILIO_MESSAGING_SERVICE_SID) Twilio picks
the sender from its pool; the turn is still the practice's number's, which is never faster.

The count lives in Redis, one sorted set of recent sends per number, read and written by one
Lua script, so every worker process on every node shares it and two can never both take the
last turn. (PostgreSQL could keep it, but a row per number locked on every send would make
the claims of a busy number wait on each other.) When Redis cannot be asked, nothing is sent:
the message waits as if its number had no turn.
"""

import logging
import random
import time
from enum import StrEnum
from functools import lru_cache
from uuid import uuid4

import phonenumbers
from django.core.cache import cache
from redis.exceptions import RedisError

from queue_app.models import Practice
from templates_lib.segments import count_segments

logger = logging.getLogger(__name__)


class NumberType(StrEnum):
    LONG_CODE = "long code"
    TOLL_FREE = "toll-free"
    SHORT_CODE = "short code"


# Segments a second the carriers take from one number of each type (sources above).
RATES = {NumberType.LONG_CODE: 1, NumberType.TOLL_FREE: 3, NumberType.SHORT_CODE: 100}
# The carrier's second plus room for a send that takes its turn, then is slow to reach
# Twilio (a loaded machine), while the next one is quick: sends never bunch above the rate.
WINDOW = 1.25
# A turn due sooner than this is waited for in the worker; a later one is booked, and the
# message goes back to the queue until then.
SHORT_WAIT = 0.5
# How long a message waits when Redis cannot say whether its number has a turn.
UNKNOWN_WAIT = 5.0
KEY_PREFIX = "sender-rate:"

# KEYS[1]: the number's recent sends, a sorted set scored by time, members "<id>:<segments>";
# KEYS[2]: the end of the queue of booked turns; KEYS[3]: this message's booking, if it has
# one. ARGV: rate, window, segments, a unique id, the longest wait worth waiting in the
# worker, and the time (empty: the Redis server's clock, the one clock every worker shares).
# Returns {granted, seconds to wait} as strings.
TAKE_TURN = """
local rate, window, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local short_wait, now = tonumber(ARGV[5]), tonumber(ARGV[6])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local entries = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local used = 0
for i = 1, #entries, 2 do
  used = used + tonumber(string.match(entries[i], ':(%d+)$'))
end
local queue_end = tonumber(redis.call('GET', KEYS[2]) or 0)
-- While turns are booked, a message without one queues behind them: no overtaking.
local may_go = queue_end <= now or redis.call('EXISTS', KEYS[3]) == 1
-- A message longer than the rate goes alone, and counts for as many windows as it fills.
if may_go and (used + cost <= rate or used == 0) then
  local until_score = now + window * (math.ceil(cost / rate) - 1)
  redis.call('ZADD', KEYS[1], until_score, ARGV[4] .. ':' .. cost)
  redis.call('PEXPIRE', KEYS[1], math.ceil((until_score - now + window) * 1000) + 1000)
  redis.call('DEL', KEYS[3])
  return {'1', '0'}
end
-- When enough of the oldest sends leave the window for this one to fit.
local room, freed = now, used
for i = 1, #entries, 2 do
  freed = freed - tonumber(string.match(entries[i], ':(%d+)$'))
  room = tonumber(entries[i + 1]) + window
  if freed + cost <= rate or freed == 0 then break end
end
if may_go and room - now <= short_wait then
  return {'0', tostring(room - now)}
end
-- Too long to wait here: book the next free turn at the end of the queue, so that a burst
-- is spread over the number's pace instead of coming back all at once.
local booked = math.max(room, queue_end)
local after = booked + window * cost / rate
redis.call('SET', KEYS[2], tostring(after), 'PX', math.ceil((after - now) * 1000) + 1000)
redis.call('SET', KEYS[3], '1', 'PX', math.ceil((booked - now) * 1000) + 60000)
return {'0', tostring(booked - now)}
"""


@lru_cache(maxsize=4096)
def number_type(number: str) -> NumberType:
    """What kind of sender a number is: a short code by its length, toll-free by its prefix."""
    if number.isdigit() and 5 <= len(number) <= 6:
        return NumberType.SHORT_CODE
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return NumberType.LONG_CODE
    if phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.TOLL_FREE:
        return NumberType.TOLL_FREE
    return NumberType.LONG_CODE


def rate_of(number: str) -> int:
    return RATES[number_type(number)]


def senders(practice: Practice) -> list[tuple[str, NumberType, int]]:
    """The practice's numbers, its main one first, each with its type and rate (segments a
    second), for its admins to see."""
    numbers = [
        practice.phone,
        *practice.numbers.order_by("number").values_list("number", flat=True),
    ]
    return [(number, number_type(number), rate_of(number)) for number in dict.fromkeys(numbers)]


class NoTurn(Exception):
    """The sending number has no turn now; its next one is `wait` seconds away."""

    def __init__(self, wait: float):
        super().__init__(f"the sending number's next turn is in {wait:.2f} s")
        self.wait = wait


def take_turn(number: str, segments: int, *, ticket: str, now: float | None = None) -> float:
    """Take `segments` from the number's allowance for the message `ticket` names: 0.0 when
    it may go now, else how many seconds until its turn (booked for it when that is longer
    than SHORT_WAIT).

    `now` is for tests; the workers use the Redis server's clock.
    """
    key = KEY_PREFIX + number
    keys = [key, key + ":queue", f"{key}:booking:{ticket}"]
    args = [rate_of(number), WINDOW, segments, uuid4().hex, SHORT_WAIT, "" if now is None else now]
    try:
        client = cache._cache.get_client(write=True)
        script = client.register_script(TAKE_TURN)  # EVALSHA: the script is sent once
        granted, wait = script(keys=keys, args=args)
    except (AttributeError, RedisError) as exc:
        # No Redis to share the count with: no turn, so never faster than the carrier allows.
        logger.warning("sender rate unknown (%s): the message waits", type(exc).__name__)
        return UNKNOWN_WAIT + random.uniform(0, 1)  # noqa: S311 (spread, not a secret)
    return 0.0 if int(granted) == 1 else max(float(wait), 0.001)


def wait_for_turn(number: str, body: str, ticket: str) -> None:
    """Return once the text `ticket` names may go from `number` (after waiting here when its
    turn is near); raise NoTurn with the seconds until the turn booked for it otherwise."""
    segments = max(count_segments(body).segments, 1)
    wait = take_turn(number, segments, ticket=ticket)
    while 0.0 < wait <= SHORT_WAIT:
        time.sleep(wait)
        wait = take_turn(number, segments, ticket=ticket)
    if wait:
        raise NoTurn(wait)
