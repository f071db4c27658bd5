"""Calendar arithmetic for campaigns: months back for the overdue-recall audience."""

from calendar import monthrange
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative), the month's last day when it has
    no such day: 31 March minus one month is 28 (or 29) February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, monthrange(year, month + 1)[1]))
