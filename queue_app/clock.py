"""Business-hours and quiet-hours arithmetic in a practice's time zone.

Pure functions, standard library only. Every instant is converted to UTC before any
comparison or subtraction: Python compares and subtracts two datetimes that share a
ZoneInfo by wall clock, ignoring `fold`, which silently loses or gains an hour on DST days.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Bounds the search for an opening so a practice with no open day fails loudly instead of looping.
MAX_SEARCH_DAYS = 3 * 366
CALLBACK_SEARCH_DAYS = 14
END_OF_DAY = time(23, 59)


@dataclass(frozen=True)
class BusinessHours:
    """Weekly opening hours (weekday 0 = Monday → (open, close)); a missing weekday is closed."""

    tz: ZoneInfo
    weekly: dict[int, tuple[time, time]]
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        for weekday, (opens, closes) in self.weekly.items():
            if weekday not in range(7):
                raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {weekday!r}")
            if closes <= opens:
                raise ValueError(
                    f"{WEEKDAY_KEYS[weekday]}: closing time {closes:%H:%M} must be after "
                    f"opening time {opens:%H:%M}"
                )

    @classmethod
    def from_json(cls, tz_name: str, data: dict) -> "BusinessHours":
        """Build from `{"mon": ["08:00", "17:00"], ..., "holidays": ["2026-12-25"]}`."""
        if not isinstance(data, dict):
            raise ValueError(f"business hours must be an object, got {type(data).__name__}")
        unknown = set(data) - set(WEEKDAY_KEYS) - {"holidays"}
        if unknown:
            raise ValueError(f"unknown business-hours keys: {', '.join(sorted(unknown))}")
        weekly = {}
        for weekday, key in enumerate(WEEKDAY_KEYS):
            span = data.get(key)
            if span is None:
                continue
            if not isinstance(span, (list, tuple)) or len(span) != 2:
                raise ValueError(f'{key}: expected ["HH:MM", "HH:MM"], got {span!r}')
            weekly[weekday] = (_parse_hhmm(span[0], key), _parse_hhmm(span[1], key))
        return cls(tz=zone(tz_name), weekly=weekly, holidays=_parse_holidays(data))

    def is_business_day(self, day: date) -> bool:
        return day.weekday() in self.weekly and day not in self.holidays

    def span_on(self, day: date) -> tuple[datetime, datetime] | None:
        """The opening interval of a local date as UTC instants, or None when closed."""
        if not self.is_business_day(day):
            return None
        opens, closes = self.weekly[day.weekday()]
        return _at(day, opens, self.tz), _at(day, closes, self.tz)


@dataclass(frozen=True)
class QuietHours:
    """Local wall-clock window in which no written message may go out; may cross midnight."""

    start: time = time(20, 0)
    end: time = time(8, 0)

    def __post_init__(self) -> None:
        if self.start == self.end:
            raise ValueError("quiet hours start and end must differ")


def zone(tz_name: str) -> ZoneInfo:
    """ZoneInfo for an IANA name, raising ValueError (not KeyError) for an unknown zone."""
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as exc:
        raise ValueError(f"unknown time zone {tz_name!r}") from exc


def _parse_hhmm(value: object, key: str) -> time:
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,2}:\d{2}", value):
        raise ValueError(f"{key}: expected a time like '08:00', got {value!r}")
    hour, minute = (int(part) for part in value.split(":"))
    if hour > 23 or minute > 59:
        raise ValueError(f"{key}: {value!r} is not a valid time of day")
    return time(hour, minute)


def _parse_holidays(data: dict) -> frozenset[date]:
    raw = data.get("holidays", [])
    if not isinstance(raw, (list, tuple)):
        raise ValueError(f"holidays: expected a list of 'YYYY-MM-DD' dates, got {raw!r}")
    try:
        return frozenset(date.fromisoformat(day) for day in raw)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"holidays: expected 'YYYY-MM-DD' dates, got {raw!r}") from exc


def _at(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """UTC instant of a local wall time; a time skipped by spring-forward maps past the gap."""
    return datetime.combine(day, wall, tzinfo=tz).astimezone(UTC)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"an aware datetime is required, got naive {moment!r}")
    return moment.astimezone(UTC)


def _spans(first_day: date, hours: BusinessHours, days: int) -> Iterator[tuple[datetime, datetime]]:
    for offset in range(days):
        span = hours.span_on(first_day + timedelta(days=offset))
        if span is not None:
            yield span


def _local_date(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def _open_seconds(start: datetime, end: datetime, hours: BusinessHours) -> float:
    if end <= start:
        return 0.0
    days = (_local_date(end, hours.tz) - _local_date(start, hours.tz)).days + 1
    total = 0.0
    for opens, closes in _spans(_local_date(start, hours.tz), hours, days):
        total += max(0.0, (min(closes, end) - max(opens, start)).total_seconds())
    return total


def _merged_pauses(
    pauses: Iterable[tuple[datetime, datetime | None]], start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """Pauses clipped to [start, end] and merged, so overlapping pauses are not subtracted twice."""
    clipped = sorted(
        (max(_utc(begin), start), min(end if until is None else _utc(until), end))
        for begin, until in pauses
    )
    merged: list[tuple[datetime, datetime]] = []
    for begin, until in clipped:
        if until <= begin:
            continue
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], until))
        else:
            merged.append((begin, until))
    return merged


def business_minutes_between(
    start: datetime,
    end: datetime,
    hours: BusinessHours,
    pauses: Iterable[tuple[datetime, datetime | None]] = (),
) -> float:
    """Elapsed business minutes from start to end, minus time paused waiting on the patient.

    An open pause (end None) runs to `end`. Minutes are real elapsed time, so an 08:00–17:00
    day counts 9 h on DST days too. Returns 0.0 when end is not after start.
    """
    start, end = _utc(start), _utc(end)
    seconds = _open_seconds(start, end, hours)
    for begin, until in _merged_pauses(pauses, start, end):
        seconds -= _open_seconds(begin, until, hours)
    return seconds / 60


def add_business_minutes(start: datetime, minutes: float, hours: BusinessHours) -> datetime:
    """Due time: start plus N business minutes, counting from the next opening. In UTC."""
    if minutes < 0:
        raise ValueError(f"minutes must not be negative, got {minutes}")
    start = _utc(start)
    remaining = timedelta(minutes=minutes)
    for opens, closes in _spans(_local_date(start, hours.tz), hours, MAX_SEARCH_DAYS):
        begin = max(opens, start)
        if begin >= closes:
            continue
        if remaining <= closes - begin:
            return begin + remaining
        remaining -= closes - begin
    raise ValueError(f"no business hours within {MAX_SEARCH_DAYS} days of {start.isoformat()}")


def next_open(moment: datetime, hours: BusinessHours) -> datetime:
    """The first instant at or after `moment` when the practice is open, in UTC."""
    return add_business_minutes(moment, 0, hours)


def is_open(moment: datetime, hours: BusinessHours) -> bool:
    instant = _utc(moment)
    span = hours.span_on(_local_date(instant, hours.tz))
    return span is not None and span[0] <= instant < span[1]


def business_days_between(start: datetime, end: datetime, hours: BusinessHours) -> int:
    """Business days after start's local date up to and including end's local date.

    Received Monday, now Wednesday → 2; so "older than two business days" is `> 2`.
    """
    first = _local_date(_utc(start), hours.tz)
    last = _local_date(_utc(end), hours.tz)
    return sum(
        hours.is_business_day(first + timedelta(days=offset))
        for offset in range(1, (last - first).days + 1)
    )


def in_quiet_hours(moment: datetime, tz: ZoneInfo, quiet: QuietHours) -> bool:
    wall = _utc(moment).astimezone(tz).time()
    if quiet.start < quiet.end:
        return quiet.start <= wall < quiet.end
    return wall >= quiet.start or wall < quiet.end


def next_allowed_send(moment: datetime, tz: ZoneInfo, quiet: QuietHours) -> datetime:
    """`moment` itself outside quiet hours, else the instant the window ends locally (UTC)."""
    if not in_quiet_hours(moment, tz, quiet):
        return moment
    instant = _utc(moment)
    local = instant.astimezone(tz)
    end_day = local.date()
    if quiet.start > quiet.end and local.time() >= quiet.start:
        end_day += timedelta(days=1)
    wall_end = datetime.combine(end_day, quiet.end)
    # An ambiguous end (fall-back) has two instants: the first one already ends the window.
    # A skipped end (spring-forward) has none: the window ends at the jump, between the two.
    early, late = sorted(wall_end.replace(tzinfo=tz, fold=fold).astimezone(UTC) for fold in (0, 1))
    if early > instant and not in_quiet_hours(early, tz, quiet):
        return early
    found = _first_unquiet(max(instant, early), late, tz, quiet)
    if in_quiet_hours(found, tz, quiet):
        # The whole allowed window lay in the skipped hour (quiet 02:30 to 02:00 on a
        # spring-forward day): it did not exist that day, so the next day's one is the first.
        return next_allowed_send(found, tz, quiet)
    return found


def _first_unquiet(
    quiet_at: datetime, open_at: datetime, tz: ZoneInfo, quiet: QuietHours
) -> datetime:
    """Bisect to the first microsecond outside the window: the instant of the DST jump."""
    while open_at - quiet_at > timedelta(microseconds=1):
        middle = quiet_at + (open_at - quiet_at) / 2
        if in_quiet_hours(middle, tz, quiet):
            quiet_at = middle
        else:
            open_at = middle
    return open_at


DEFAULT_BLOCKS: dict[str, tuple[time, time]] = {
    "morning": (time(0, 0), time(11, 0)),
    "midday": (time(11, 0), time(14, 0)),
    "afternoon": (time(14, 0), time.max),
}


def current_rhythm_block(
    moment: datetime, tz: ZoneInfo, blocks: dict[str, tuple[time, time]] | None = None
) -> str:
    """Name of the daily-rhythm block for the local time of `moment`.

    Outside every block (a gap in the practice's setting, or after the last one), the block
    that started most recently applies; before the first block, the first one.
    """
    ordered = sorted((blocks or DEFAULT_BLOCKS).items(), key=lambda item: item[1][0])
    if not ordered:
        raise ValueError("at least one rhythm block is required")
    wall = _utc(moment).astimezone(tz).time()
    current = ordered[0][0]
    for name, (begins, _) in ordered:
        if begins <= wall:
            current = name
    return current


def _window_spans(
    day: date, window: tuple[time, time], tz: ZoneInfo
) -> list[tuple[datetime, datetime]]:
    """The contact window on one local date; a window crossing midnight gives two pieces."""
    begins, ends = window
    if begins < ends:
        return [(_at(day, begins, tz), _at(day, ends, tz))]
    next_day = _at(day + timedelta(days=1), time(0, 0), tz)
    return [(_at(day, time(0, 0), tz), _at(day, ends, tz)), (_at(day, begins, tz), next_day)]


def next_callback_slot(
    after: datetime, hours: BusinessHours, window: tuple[time, time] | None
) -> datetime:
    """First instant ≥ `after` inside business hours and the patient's contact window (UTC).

    Raises ValueError when there is none within 14 days, so the caller can fall back to a
    written message instead of calling outside the patient's wishes.
    """
    start = _utc(after)
    limit = start + timedelta(days=CALLBACK_SEARCH_DAYS)
    for opens, closes in _spans(_local_date(start, hours.tz), hours, CALLBACK_SEARCH_DAYS + 1):
        day = _local_date(opens, hours.tz)
        pieces = [(opens, closes)] if window is None else _window_spans(day, window, hours.tz)
        for begins, ends in pieces:
            slot_start = max(start, opens, begins)
            if slot_start < min(closes, ends) and slot_start <= limit:
                return slot_start
    raise ValueError(
        f"no callback slot within {CALLBACK_SEARCH_DAYS} days of {start.isoformat()} "
        "inside business hours and the contact window"
    )


def _fold_text(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = re.sub(r"\b([ap])\s*\.?\s*m\b\.?", r"\1m", plain)
    return " ".join(plain.split())


_CLOCK = r"(\d{1,2})(?::(\d{2}))?\s*(am|pm|de la manana|de la tarde|de la noche|in the morning)?"
_NOT_A_TIME = r"(?!\s*(?:days?|weeks?|months?|hours?|hrs?|min\w*|dias?|semanas?|mes\w*|horas?))"
_AFTER = re.compile(
    r"\b(?:after|from|despues de|a partir de)\s+(?:las?\s+)?" + _CLOCK + _NOT_A_TIME
)
_BEFORE = re.compile(
    r"\b(?:before|until|till|antes de|hasta)\s+(?:las?\s+)?" + _CLOCK + _NOT_A_TIME
)
_RANGE = re.compile(
    r"\b(?:between\s+|entre\s+|from\s+|de\s+)?(?:las?\s+)?"
    + _CLOCK
    + r"\s*(?:-|–|to|and|y|a|until|hasta)\s*(?:las?\s+)?"
    + _CLOCK
    + _NOT_A_TIME
)
_NAMED_WINDOWS: tuple[tuple[str, tuple[time, time]], ...] = (
    (
        r"\b(?:mornings?|in the am|por la manana|en la manana|las mananas|mananas)\b",
        (time(8, 0), time(12, 0)),
    ),
    (
        r"\b(?:afternoons?|in the pm|por la tarde|en la tarde|las tardes|tardes)\b",
        (time(12, 0), time(17, 0)),
    ),
    (
        r"\b(?:evenings?|nights?|por la noche|en la noche|las noches|noches)\b",
        (time(17, 0), time(21, 0)),
    ),
    (r"\b(?:noon|midday|lunch ?time|mediodia|hora del almuerzo)\b", (time(11, 30), time(13, 30))),
)


def _hour(hour: str, minute: str | None, meridiem: str | None) -> time | None:
    """24-hour time; a bare 1–7 means p.m., since clinics rarely call at 3 in the morning."""
    h, m = int(hour), int(minute or 0)
    if h > 23 or m > 59:
        return None
    if meridiem in ("pm", "de la tarde", "de la noche") and h < 12:
        h += 12
    elif meridiem in ("am", "de la manana", "in the morning") and h == 12:
        h = 0
    elif meridiem is None and 1 <= h <= 7:
        h += 12
    return time(h, m)


def _parse_range(match: re.Match[str]) -> tuple[time, time] | None:
    h1, m1, mer1, h2, m2, mer2 = match.groups()
    end = _hour(h2, m2, mer2)
    if mer1 is None and mer2 is not None and int(h1) < 12:
        # "2-4pm" is afternoon; "11-1pm" starts in the morning.
        as_pm = _hour(h1, m1, "pm") if mer2 in ("pm", "de la tarde", "de la noche") else None
        start = as_pm if as_pm and end and as_pm < end else _hour(h1, m1, "am")
    else:
        start = _hour(h1, m1, mer1)
    if start is None or end is None or end <= start:
        return None
    return start, end


def parse_contact_window(text: str) -> tuple[time, time] | None:
    """A patient's preferred contact window ("after 3 p.m.", "9-11am", "por la tarde").

    Returns (start, end) in local wall time, or None when the text is not understood.
    """
    plain = _fold_text(text)
    if match := _RANGE.search(plain):
        return _parse_range(match)
    if match := _AFTER.search(plain):
        start = _hour(*match.groups())
        return (start, END_OF_DAY) if start and start < END_OF_DAY else None
    if match := _BEFORE.search(plain):
        end = _hour(*match.groups())
        return (time(0, 0), end) if end and end > time(0, 0) else None
    for pattern, window in _NAMED_WINDOWS:
        if re.search(pattern, plain):
            return window
    return None
