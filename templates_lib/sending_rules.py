"""A practice's sending rules: its quiet hours, how many automated messages a patient may
get in a day and a week, and how often a patient may be asked "Did you know what to do
next?". Kept by the practice's playbook admins beside the moments' channel rules; read at
every send (`templates_lib.channel_rules`), every claim by the worker (`messaging.frequency`)
and every follow-up question (`messaging.survey`)."""

from datetime import datetime, time
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from queue_app.models import AuditEvent, Practice
from templates_lib.services import InvalidPlaybookChange

FIELDS = (
    "quiet_start",
    "quiet_end",
    "automated_daily_limit",
    "automated_weekly_limit",
    "survey_interval_days",
)
# Past these a limit protects nobody: a patient is not sent 20 automated texts a day.
MAX_DAILY = 20
MAX_WEEKLY = 50
# A year: asked more rarely, the answers no longer follow a change of wording.
MAX_SURVEY_INTERVAL = 365


def check_sending_rules(fields: dict[str, Any]) -> dict[str, str]:
    """What is wrong with these values, by field; empty when they may be saved."""
    errors: dict[str, str] = {}
    start, end = fields.get("quiet_start"), fields.get("quiet_end")
    if not isinstance(start, time) or not isinstance(end, time):
        errors["quiet_hours"] = "need a start and an end time"
    elif start == end:
        errors["quiet_hours"] = "must start and end at different times"
    daily, weekly = fields.get("automated_daily_limit"), fields.get("automated_weekly_limit")
    if not isinstance(daily, int) or not 1 <= daily <= MAX_DAILY:
        errors["automated_daily_limit"] = f"must be a whole number from 1 to {MAX_DAILY}"
    if not isinstance(weekly, int) or not 1 <= weekly <= MAX_WEEKLY:
        errors["automated_weekly_limit"] = f"must be a whole number from 1 to {MAX_WEEKLY}"
    elif isinstance(daily, int) and weekly < daily:
        errors["automated_weekly_limit"] = "can't be lower than the daily limit"
    interval = fields.get("survey_interval_days")
    if not isinstance(interval, int) or not 1 <= interval <= MAX_SURVEY_INTERVAL:
        errors["survey_interval_days"] = f"must be a whole number from 1 to {MAX_SURVEY_INTERVAL}"
    return errors


@transaction.atomic
def update_sending_rules(
    *, practice: Practice, fields: dict[str, Any], actor: User, now: datetime
) -> list[str]:
    """Save the practice's sending rules; returns the names of the fields that changed."""
    errors = check_sending_rules(fields)
    if errors:
        raise InvalidPlaybookChange(errors)
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    changed = [name for name in FIELDS if getattr(locked, name) != fields[name]]
    if not changed:
        return []
    before = {name: str(getattr(locked, name)) for name in changed}
    for name in changed:
        setattr(locked, name, fields[name])
        setattr(practice, name, fields[name])
    locked.save(update_fields=changed)
    AuditEvent.objects.create(
        actor=actor,
        practice=practice,
        action="practice.sending_rules",
        object_type="Practice",
        object_code=practice.slug,
        detail="; ".join(f"{name}: {before[name]} → {fields[name]}" for name in changed)[:500],
        created=now,
    )
    return changed
