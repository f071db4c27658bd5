"""How long a message the provider keeps refusing is tried again, and when.

A provider incident can last hours; a patient's reminder is worth sending until the moment it
could no longer arrive in time, and a reply to a patient for a shorter while (after that a
person has to look, not a loop). Between tries the wait doubles from BACKOFF_BASE up to
BACKOFF_CAP; the last try lands on the deadline itself. Everything here is a pure function of
the message's times, so the schedule can be computed and checked without a clock.
"""

from datetime import datetime, timedelta

from messaging.reminders import MIN_LEAD
from queue_app.models import Message, Reminder

BACKOFF_BASE = 10  # seconds before the second try; doubles with every try after it
BACKOFF_CAP = 6 * 60 * 60  # never more than 6 hours between two tries
# How long after it was created a message is still tried, at most.
REMINDER_WINDOW = timedelta(hours=24)
REPLY_WINDOW = timedelta(hours=2)
# A campaign's message may have waited out the night for quiet hours: it has the day after.
CAMPAIGN_WINDOW = timedelta(hours=24)
# A ceiling against a loop whatever the clock says (a try every 6 h for 24 h is about 15).
MAX_TRIES = 30
# Up to this share of a wait is spread by message, so a thousand messages refused in the same
# second do not all come back in the same second.
SPREAD = 0.2


def backoff(tries: int, *, spread: float = 0.0) -> timedelta:
    """The wait after the `tries`-th refused try: 10 s, 20 s, 40 s ... capped at 6 hours.

    `spread` in [0, 1) shortens the wait by up to SPREAD of it (the message's own jitter).
    """
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(tries - 1, 0))
    return timedelta(seconds=ceiling * (1 - SPREAD * spread))


def spread_of(message_id: int) -> float:
    """A fixed fraction in [0, 1) per message: the same message always waits the same."""
    return (message_id * 2654435761 % 2**32) / 2**32


def give_up_at(*, created: datetime, appointment_starts: datetime | None, kind: str) -> datetime:
    """The last moment a message is worth trying.

    A reminder (`kind` one of Reminder.Kind): REMINDER_WINDOW after it was made, and never
    later than it could still arrive in time for its appointment (the same lead a reminder
    needs to be sent at all). A campaign's: CAMPAIGN_WINDOW. Anything else: REPLY_WINDOW after
    it was made.
    """
    if kind in Reminder.Kind.values and appointment_starts is not None:
        return min(created + REMINDER_WINDOW, appointment_starts - MIN_LEAD[kind])
    if kind == Message.CAMPAIGN:
        return created + CAMPAIGN_WINDOW
    return created + REPLY_WINDOW


def next_try_at(*, tries: int, now: datetime, deadline: datetime, spread: float = 0.0):
    """When to try again after the `tries`-th refusal at `now`, or None: give up.

    The wait is the backoff, cut short so the last try falls on the deadline itself.
    """
    if tries >= MAX_TRIES or now >= deadline:
        return None
    return min(now + backoff(tries, spread=spread), deadline)


def retry_schedule(*, first_try: datetime, deadline: datetime, spread: float = 0.0):
    """Every try of a message that is refused each time: [first_try, ..., deadline]."""
    times = [first_try]
    while True:
        later = next_try_at(tries=len(times), now=times[-1], deadline=deadline, spread=spread)
        if later is None:
            return times
        times.append(later)


def deadline_for(message: Message) -> datetime:
    """`give_up_at` for a stored message, reading its reminder's appointment when it has one."""
    starts = None
    if message.purpose in Reminder.Kind.values:
        starts = (
            Reminder.objects.filter(message_id=message.pk)
            .values_list("appointment__starts_at", flat=True)
            .first()
        )
    return give_up_at(created=message.created, appointment_starts=starts, kind=message.purpose)


def plain_reason(error: str) -> str:
    """What the provider's last answer means, in words an assistant reads."""
    if "429" in error:
        return "the text message service was too busy to take it"
    if "HTTP 5" in error:
        return "the text message service kept failing on its side"
    if "connect" in error or "refused" in error:
        return "the text message service could not be reached"
    return "no clear answer came from the text message service"
