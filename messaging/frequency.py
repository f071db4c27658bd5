"""How many automated messages one patient may get: the practice's daily and weekly limits.

A patient who gets a confirmation request, a reminder and a recall in one morning stops
reading them, and carriers filter a number that sends too much. The limits are applied where
a worker claims messages, under a lock per patient, so that two workers can never both take a
patient's last slot. A message over a limit is not sent: it waits until a slot opens, or is
blocked when by then it would come too late to help. What a person writes and the carriers'
compliance replies are never counted nor held.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection

from messaging.consent import COMPLIANCE_PURPOSES
from messaging.retries import deadline_for
from queue_app.events import record_item_event
from queue_app.models import Message, Practice

SERVICE = "worker"
DAY, WEEK = timedelta(hours=24), timedelta(days=7)
# What has gone, or is going, to the patient; held, blocked and refused messages are not.
COUNTED = (
    Message.Status.SENDING,
    Message.Status.SENT,
    Message.Status.DELIVERED,
    Message.Status.UNDELIVERED,
    Message.Status.UNKNOWN,
)
# The first key of PostgreSQL's two-key advisory locks, naming this lock among any others.
LOCK_NAMESPACE = 7301


@dataclass(frozen=True)
class Limits:
    daily: int
    weekly: int


def counts_against_limit(message: Message) -> bool:
    return (
        message.is_automatic
        and message.patient_id is not None
        and message.purpose not in COMPLIANCE_PURPOSES
    )


def next_slot(sent: list[datetime], limits: Limits, now: datetime) -> datetime | None:
    """When the patient may next get an automated message, or None when they may now.

    `sent` holds the times of the patient's counted messages of the last 7 days, oldest
    first. Under a limit of n in a window, a slot opens once all but n - 1 of the messages
    inside it have left it.
    """
    opening = None
    for window, limit in ((DAY, limits.daily), (WEEK, limits.weekly)):
        inside = [at for at in sent if at > now - window]
        if len(inside) >= limit:
            frees = inside[len(inside) - limit] + window
            opening = frees if opening is None else max(opening, frees)
    return opening


def hold_over_limit(candidates: Iterable[Message], now: datetime) -> set[int]:
    """Of the messages about to be claimed (oldest first, with their practice, inside the
    claim's transaction), hold those over their patient's limits and return their ids; the
    rest may be claimed.

    Each message let through takes a slot, so a batch holding several messages for one
    patient is counted as they will go.
    """
    limited = [m for m in candidates if counts_against_limit(m)]
    if not limited:
        return set()
    patients = sorted({m.patient_id for m in limited})
    _lock_patients(patients)
    sent = _recent_sends(patients, now)
    held = set()
    for message in limited:
        times, limits = sent[message.patient_id], limits_of(message.practice)
        opening = next_slot(times, limits, now)
        if opening is None:
            times.append(now)
        else:
            _hold(message, opening, limits, now)
            held.add(message.pk)
    return held


def limits_of(practice: Practice) -> Limits:
    return Limits(practice.automated_daily_limit, practice.automated_weekly_limit)


def _lock_patients(patient_ids: list[int]) -> None:
    """One lock per patient until the transaction ends, taken in id order (no deadlock).

    An advisory lock rather than the patient's row: the consent writer locks rows in the
    other order. SQLite needs none: its immediate transactions already run one at a time.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, id)"
            " FROM (SELECT unnest(%s::int[]) AS id ORDER BY id) AS ids",
            [LOCK_NAMESPACE, patient_ids],
        )


def _recent_sends(patient_ids: list[int], now: datetime) -> dict[int, list[datetime]]:
    rows = (
        Message.objects.filter(
            patient_id__in=patient_ids,
            is_automatic=True,
            status__in=COUNTED,
            claimed_at__gt=now - WEEK,
        )
        .exclude(purpose__in=COMPLIANCE_PURPOSES)
        .order_by("claimed_at")
        .values_list("patient_id", "claimed_at")
    )
    sent = defaultdict(list)
    for patient_id, claimed_at in rows:
        sent[patient_id].append(claimed_at)
    return sent


def _hold(message: Message, opening: datetime, limits: Limits, now: datetime) -> None:
    reason = (
        f"The patient's limit of automated messages ({limits.daily} a day, "
        f"{limits.weekly} a week) is reached"
    )
    if opening > deadline_for(message):
        status, reason, after = Message.Status.BLOCKED, f"{reason}; later is too late.", None
        kind = "message_blocked"
    else:
        status, reason, after = Message.Status.SCHEDULED, f"{reason}.", opening
        kind = "message_rescheduled"
    changed = Message.objects.filter(pk=message.pk, status=Message.Status.QUEUED).update(
        status=status, status_reason=reason, send_after=after, updated=now
    )
    if changed and message.item_id is not None:
        record_item_event(
            item=message.item_id,
            service=SERVICE,
            kind=kind,
            after={"message": str(message.code), "reason": reason},
            now=now,
        )
