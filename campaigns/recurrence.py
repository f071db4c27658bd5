"""Calendar arithmetic for campaigns: months back for the overdue-recall audience, and the
days a recurring campaign falls on.

Occurrence k of a recurring campaign is `first_send_on` plus k weeks, or plus k months counted
from the first day itself (the 31st stays the 31st in the months that have one), at
`send_time` in the practice's time zone.
"""

from calendar import monthrange
from datetime import date, datetime, timedelta

from campaigns.models import Campaign
from queue_app.clock import zone


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative), the month's last day when it has
    no such day: 31 March minus one month is 28 (or 29) February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return day.replace(year=year, month=month + 1, day=min(day.day, monthrange(year, month + 1)[1]))


def occurrence(campaign: Campaign, k: int) -> date:
    if campaign.repeat == Campaign.Repeat.WEEKLY:
        return campaign.first_send_on + timedelta(weeks=k)
    return add_months(campaign.first_send_on, k)


def due_at(campaign: Campaign, day: date) -> datetime:
    """When the occurrence of `day` is due: its send time that day, in the practice's zone."""
    return datetime.combine(day, campaign.send_time, tzinfo=zone(campaign.practice.timezone))


def latest_due(campaign: Campaign, now: datetime) -> date | None:
    """The day of the last occurrence due at or before `now` (None: none yet)."""
    k = _last_index_on_or_before(campaign, now.astimezone(zone(campaign.practice.timezone)).date())
    if k >= 0 and due_at(campaign, occurrence(campaign, k)) > now:
        k -= 1  # today's occurrence, not due yet
    return occurrence(campaign, k) if k >= 0 else None


def next_due(campaign: Campaign, now: datetime) -> date:
    """The day of the first occurrence due after `now`."""
    k = _last_index_on_or_before(campaign, now.astimezone(zone(campaign.practice.timezone)).date())
    if k < 0 or due_at(campaign, occurrence(campaign, k)) <= now:
        k += 1
    return occurrence(campaign, max(k, 0))


def _last_index_on_or_before(campaign: Campaign, day: date) -> int:
    """The index of the last occurrence on or before `day`; -1 before the first."""
    first = campaign.first_send_on
    if day < first:
        return -1
    if campaign.repeat == Campaign.Repeat.WEEKLY:
        return (day - first).days // 7
    k = (day.year - first.year) * 12 + day.month - first.month
    return k if add_months(first, k) <= day else k - 1
