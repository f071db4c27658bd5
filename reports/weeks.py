"""The scorecard's week: a practice's Monday-to-Monday on its own wall clock, as UTC instants.

A week containing a DST change is 167 or 169 hours long. Every value a scorecard query takes
from the week is one of `Week`'s fields (see reports.compiled).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property

from queue_app.clock import BusinessHours, zone
from queue_app.models import Practice


@dataclass(frozen=True)
class Week:
    """One practice-week: its UTC edges, the instant it is read at, and the language filter.

    `as_of` is min(end, now); `cutoff` is the instant before which an item received is older
    than two business days at `as_of` (None when no such day exists). Every value a query
    takes from the week is one of these fields (see reports.compiled).
    """

    practice: Practice
    monday: date
    start: datetime
    end: datetime
    now: datetime
    as_of: datetime
    cutoff: datetime | None
    language: str | None = None

    @property
    def complete(self) -> bool:
        return self.now >= self.end

    @cached_property
    def hours(self) -> BusinessHours:
        return BusinessHours.from_json(self.practice.timezone, self.practice.business_hours)


def week_of(*, practice: Practice, week: date, now: datetime, language: str | None = None) -> Week:
    """The practice-week starting on Monday `week`, edges on the practice's wall clock."""
    if week.isoweekday() != 1:
        raise ValueError(f"a scorecard week starts on a Monday, got {week:%A} {week}")
    tz = zone(practice.timezone)
    start = datetime.combine(week, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(week + timedelta(days=7), time(0), tzinfo=tz).astimezone(UTC)
    now = now.astimezone(UTC)
    as_of = min(end, now)
    hours = BusinessHours.from_json(practice.timezone, practice.business_hours)
    cutoff = _older_cutoff(hours, as_of)
    return Week(practice, week, start, end, now, as_of, cutoff, language or None)


def monday_of(*, practice: Practice, instant: datetime) -> date:
    """Monday of the practice-week that contains this instant."""
    local = instant.astimezone(zone(practice.timezone)).date()
    return local - timedelta(days=local.weekday())


def parse_iso_week(text: str) -> date:
    """'2026-W47' → that ISO week's Monday; ValueError when malformed."""
    try:
        year, _, number = text.strip().upper().partition("-W")
        return date.fromisocalendar(int(year), int(number), 1)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"expected a week like 2026-W47, got {text!r}") from exc


def iso_week(monday: date) -> str:
    year, number, _ = monday.isocalendar()
    return f"{year}-W{number:02d}"




def _older_cutoff(hours: BusinessHours, as_of: datetime) -> datetime | None:
    """business_days_between counts the business days after the day of receipt up to the
    reading day, so "> 2" holds exactly for days before the third business day back.
    """
    day = (as_of - timedelta(microseconds=1)).astimezone(hours.tz).date()
    found = 0
    for back in range(3 * 366):
        candidate = day - timedelta(days=back)
        if hours.is_business_day(candidate):
            found += 1
            if found == 3:
                return datetime.combine(candidate, time(0), tzinfo=hours.tz).astimezone(UTC)
    return None
