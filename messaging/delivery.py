"""Outbound delivery and inbound handling: the outbox rows in PostgreSQL are the record.

Delivery keeps one promise: a patient never gets the same message twice and never loses one.
A worker claims a row QUEUED → SENDING with a conditional update before it calls the
provider, so duplicate enqueues and redelivered tasks find nothing to claim. A row whose
outcome is unknown (the request went out, no answer came back, or the worker died mid-call)
is reconciled with the provider's own message list before anything is sent again.

A little over 600 lines on purpose: claim, send, hold, retry, refuse, sweep and reconcile are
the transitions of one row's state machine, and they are read together when one changes.
"""

import logging
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from django.db import transaction
from django.db.models import F, Q

from campaigns.models import Recipient
from messaging import frequency, rate_limit, retries
from messaging.channels import get_backend
from messaging.consent import COMPLIANCE_PURPOSES, record_opt_out
from messaging.dispatch import enqueue_deliveries, enqueue_delivery
from messaging.failures import surface_failure, undelivered
from messaging.twilio_client import (
    OPTED_OUT_CODE,
    AmbiguousError,
    PermanentError,
    RetryableError,
    TwilioError,
)
from queue_app import changes
from queue_app.events import record_item_event
from queue_app.models import (
    CommunicationMoment,
    DeadLetter,
    Message,
    Practice,
    WorkItem,
)
from templates_lib.channel_rules import SendDecision, check_send, check_send_many

logger = logging.getLogger(__name__)
SERVICE = "worker"

# A ceiling on claims whatever the clock; the retry window (messaging.retries) ends sooner.
MAX_ATTEMPTS = retries.MAX_TRIES
# A retry further off than this is not handed to the broker with a countdown (a Redis
# broker redelivers held tasks after its visibility timeout); the sweeper queues it when due.
LONGEST_COUNTDOWN = 30 * 60
# A SENDING row whose lease is older than this lost its worker (killed, or its database
# connection gone). A live batch renews its rows' lease every LEASE_RENEWAL, so the lease only
# has to outlast one call to the provider after a renewal (twilio_client.TIMEOUT, 13 s).
SENDING_LEASE = timedelta(seconds=30)
LEASE_RENEWAL = 5.0
# Give the provider's message list time to show an accepted message before reading it.
RECONCILE_AFTER = timedelta(seconds=30)
# A QUEUED row due and untouched this long lost its broker message (Redis restarted, or a
# killed worker held it): it is enqueued again, at most once per grace.
QUEUED_GRACE = timedelta(seconds=30)
SWEEP_BATCH = 500
# Rows re-enqueued per sweep: a lost broker queue is refilled in one or two runs.
REQUEUE_BATCH = 20_000
# A delivery batch stops sending after this long and gives the rest back (task time limit).
BATCH_BUDGET = 30.0
# Within a batch the channel rules are read again once sending has taken this long.
RECHECK_AFTER = 1.0
DELIVERY_RELATED = (
    "patient",
    "practice",
    "item__moment__practice",
    "template__moment__practice",
)

PENDING = (Message.Status.SCHEDULED, Message.Status.QUEUED, Message.Status.SENDING)
FINAL = (Message.Status.DELIVERED, Message.Status.UNDELIVERED, Message.Status.FAILED)
# Twilio's delivery statuses mapped onto the outbox, ranked: a status only ever moves up.
TWILIO_STATUS = {
    "accepted": Message.Status.SENT,
    "scheduled": Message.Status.SENT,
    "queued": Message.Status.SENT,
    "sending": Message.Status.SENT,
    "sent": Message.Status.SENT,
    "delivered": Message.Status.DELIVERED,
    "read": Message.Status.DELIVERED,
    "undelivered": Message.Status.UNDELIVERED,
    "failed": Message.Status.FAILED,
}
RANK = {
    Message.Status.SCHEDULED: 0,
    Message.Status.QUEUED: 0,
    Message.Status.SENDING: 0,
    Message.Status.UNKNOWN: 0,
    Message.Status.SENT: 1,
    Message.Status.DELIVERED: 2,
    Message.Status.UNDELIVERED: 2,
    Message.Status.FAILED: 2,
}


# ---------------------------------------------------------------------------- delivery


def deliver_message(*, message_id: int, now: datetime) -> str:
    """Send one outbox row at most once; returns what happened ("sent", "blocked", ...).

    Not one transaction on purpose: the claim commits before the provider is called, so a
    worker killed mid-call leaves a SENDING row the sweeper can see and reconcile.
    """
    claimed, held = _claim_batch([message_id], now)
    if held:
        return "over-limit"
    if not claimed:
        return "not-claimed"
    message = Message.objects.select_related(*DELIVERY_RELATED).get(pk=message_id)
    decision = send_decision(message, now) if message.attempts <= MAX_ATTEMPTS else None
    return _deliver_claimed(message, decision, now)


def _deliver_claimed(message: Message, decision, now: datetime) -> str:
    """Send one row this worker claimed (SENDING), under the rules' decision at send time."""
    if message.attempts > MAX_ATTEMPTS:
        _give_up(message, now, undelivered(f"no answer after {MAX_ATTEMPTS} tries"))
        return "failed"
    if message.attempts > 1 and now > retries.deadline_for(message):
        # A retry held past its deadline (quiet hours): a late reminder helps nobody.
        _give_up(message, now, undelivered("it was no longer in time to be worth sending"))
        return "failed"
    if decision is not None and not decision.allowed:
        return _hold(message, decision, now)
    try:
        outcome = get_backend().send(message)
    except rate_limit.NoTurn as exc:
        return _wait_for_sender(message, exc.wait, now)
    except RetryableError as exc:
        return _retry_later(message, exc, now)
    except AmbiguousError as exc:
        # The request went out; Twilio may have it. Never resend before reconciling.
        _transition(message, Message.Status.SENDING, Message.Status.UNKNOWN, now, reason=str(exc))
        logger.warning("message %s outcome unknown (%s)", message.pk, type(exc).__name__)
        return "unknown"
    except PermanentError as exc:
        _refuse(message, exc, now)
        return "failed"
    _record_sent(message, outcome.sid, outcome.status, now)
    return "sent"


def deliver_messages(
    *, message_ids: Sequence[int], now: datetime, budget_seconds: float = BATCH_BUDGET
) -> dict[str, int]:
    """`deliver_message` for a small batch, with the same promises in fewer queries.

    The rows still QUEUED and due are claimed QUEUED → SENDING in one transaction that
    commits before any call to the provider; they are loaded in one query; the channel rules
    are re-checked for the batch at once (again when sending has taken longer than
    RECHECK_AFTER); each message is then sent and its outcome committed on its own. What the
    budget leaves unsent goes back to QUEUED and is enqueued again. Returns outcome counts.
    """
    started = time.monotonic()
    claimed, held = _claim_batch(message_ids, now)
    results: dict[str, int] = {"not-claimed": len(set(message_ids)) - len(claimed) - held}
    if held:
        results["over-limit"] = held
    messages = _load(claimed)
    decisions, checked = send_decisions(messages, now), time.monotonic()
    lease, renewed, mine = now, started, set(claimed)
    for index, message in enumerate(messages):
        elapsed = time.monotonic() - started
        current = now + timedelta(seconds=elapsed)
        if time.monotonic() - renewed > LEASE_RENEWAL:
            mine = _renew_lease([m.pk for m in messages[index:]], lease, current)
            lease, renewed = current, time.monotonic()
        if elapsed > budget_seconds:
            rest = [m for m in messages[index:] if m.pk in mine]
            _give_back(rest, current)
            results["given-back"] = len(rest)
            break
        if message.pk not in mine:
            # Stalled past the lease: the sweeper took the row back, it is not ours to send.
            results["lease-lost"] = results.get("lease-lost", 0) + 1
            continue
        if time.monotonic() - checked > RECHECK_AFTER:
            # Sending took a while: consent, opt-out or quiet hours may have moved since.
            decisions.update(send_decisions(messages[index:], current))
            checked = time.monotonic()
        outcome = _deliver_claimed(message, decisions.get(message.pk), current)
        results[outcome] = results.get(outcome, 0) + 1
    return results


def _claim_batch(message_ids: Sequence[int], now: datetime) -> tuple[list[int], int]:
    """Claim the rows still QUEUED and due, in one commit: the ids claimed, and how many were
    held back by their patient's limit of automated messages (messaging.frequency).

    The rows are locked (rows another worker holds are skipped), then moved to SENDING; the
    commit happens before any call to the provider.
    """
    with transaction.atomic():
        candidates = list(
            _claimable(Message.objects.filter(pk__in=set(message_ids)), now)
            .select_related("practice")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
        )
        held = frequency.hold_over_limit(candidates, now)
        ids = [message.pk for message in candidates if message.pk not in held]
        changed = _claimable(Message.objects.filter(pk__in=ids), now).update(
            status=Message.Status.SENDING,
            claimed_at=now,
            attempts=F("attempts") + 1,
            updated=now,
        )
        if changed != len(ids):
            # Only without row locks (SQLite): which rows are ours is unknown, claim none.
            transaction.set_rollback(True)
            return [], 0
    return ids, len(held)


def _claimable(messages, now: datetime):
    return messages.filter(status=Message.Status.QUEUED).filter(
        Q(send_after__isnull=True) | Q(send_after__lte=now)
    )


def _load(message_ids: list[int]) -> list[Message]:
    """The claimed rows with what sending needs; each practice read once, not per row."""
    messages = list(
        Message.objects.select_related("patient", "item__moment", "template__moment")
        .filter(pk__in=message_ids)
        .order_by("pk")
    )
    moments = [m.item.moment for m in messages if m.item_id is not None]
    moments += [m.template.moment for m in messages if m.template_id is not None]
    practices = Practice.objects.in_bulk(
        {m.practice_id for m in messages} | {moment.practice_id for moment in moments}
    )
    for message in messages:
        message.practice = practices[message.practice_id]
    for moment in moments:
        moment.practice = practices[moment.practice_id]
    return messages


def _renew_lease(message_ids: list[int], lease: datetime, now: datetime) -> set[int]:
    """Move the lease of a batch's unsent rows (claimed_at == `lease`) to `now`; the ids
    still ours. A row the sweeper reclaimed after a stall has another status or lease."""
    with transaction.atomic():
        ours = Message.objects.filter(pk__in=message_ids, status=Message.Status.SENDING)
        ours.filter(claimed_at=lease).update(claimed_at=now)
        return set(ours.filter(claimed_at=now).values_list("pk", flat=True))


def _give_back(messages: list[Message], now: datetime) -> None:
    """Claimed rows the batch had no time for: QUEUED again, attempt returned, re-enqueued."""
    with transaction.atomic():
        for message in messages:
            if _transition(
                message,
                Message.Status.SENDING,
                Message.Status.QUEUED,
                now,
                attempts=F("attempts") - 1,
            ):
                enqueue_delivery(message.pk)


def send_decisions(messages: list[Message], now: datetime) -> dict[int, object]:
    """`send_decision` for each message, keyed by pk: the automated ones with a patient and
    a template share one channel-rule query and one consent query."""

    decisions: dict[int, object] = {}
    batch: dict[str, list[tuple[Message, CommunicationMoment]]] = {}
    campaigns = _campaign_moments([m.pk for m in messages if m.purpose == Message.CAMPAIGN])
    for message in messages:
        moment = message.template.moment if message.template_id else campaigns.get(message.pk)
        if (
            message.purpose not in COMPLIANCE_PURPOSES
            and message.is_automatic
            and message.patient is not None
            and moment is not None
        ):
            batch.setdefault(message.channel, []).append((message, moment))
        else:
            decisions[message.pk] = send_decision(message, now)
    for channel, group in batch.items():
        answers = check_send_many(
            sends=[(m.patient, moment) for m, moment in group], channel=channel, now=now
        )
        decisions.update((m.pk, answer) for (m, _), answer in zip(group, answers, strict=True))
    return decisions


def _campaign_moments(message_ids: list[int]) -> dict[int, CommunicationMoment]:
    """The moment whose channel rules each campaign message obeys (its campaign's), by id."""
    if not message_ids:
        return {}
    recipients = Recipient.objects.filter(message_id__in=message_ids).select_related(
        "campaign__moment__practice"
    )
    return {r.message_id: r.campaign.moment for r in recipients}


def send_decision(message: Message, now: datetime):
    """The channel rules' answer at the moment of sending, or None where none apply."""

    if message.purpose in COMPLIANCE_PURPOSES:
        return None
    moment = _moment_of(message)
    if message.patient is None or moment is None:
        # Outbound text to nobody on file, under no moment: nothing may allow it.
        return SendDecision(False, "No patient and moment to check the channel rules against.")
    return check_send(
        patient=message.patient,
        moment=moment,
        channel=message.channel,
        now=now,
        item=message.item if not message.is_automatic else None,
    )


def _moment_of(message: Message) -> CommunicationMoment | None:
    if message.template_id is not None:
        return message.template.moment
    if message.item_id is not None:
        return message.item.moment
    if message.purpose == Message.CAMPAIGN:
        return _campaign_moments([message.pk]).get(message.pk)
    return None


def _transition(
    message: Message, before: str, after: str, now: datetime, *, reason: str = "", **fields
) -> bool:
    changed = Message.objects.filter(pk=message.pk, status=before).update(
        status=after, status_reason=reason[:200], updated=now, **fields
    )
    if changed:
        message.status = after
    return bool(changed)


def _message_event(message: Message, kind: str, now: datetime, after: dict) -> None:
    # A reminder or callback may have no item; its trail is the message row itself.
    if message.item_id is not None:
        record_item_event(
            item=message.item_id,
            service=SERVICE,
            kind=kind,
            after={"message": str(message.code), **after},
            now=now,
        )


@transaction.atomic
def _hold(message: Message, decision, now: datetime) -> str:
    # The claim counted an attempt that never reached the provider: give it back.
    if decision.not_before is not None:
        _transition(
            message,
            Message.Status.SENDING,
            Message.Status.SCHEDULED,
            now,
            reason=decision.reason,
            send_after=decision.not_before,
            attempts=F("attempts") - 1,
        )
        _message_event(message, "message_rescheduled", now, {"reason": decision.reason})
        return "rescheduled"
    _transition(
        message,
        Message.Status.SENDING,
        Message.Status.BLOCKED,
        now,
        reason=decision.reason,
        attempts=F("attempts") - 1,
    )
    _message_event(message, "message_blocked", now, {"reason": decision.reason})
    return "blocked"


def _wait_for_sender(message: Message, wait: float, now: datetime) -> str:
    """The sending number has no turn now (messaging.rate_limit): QUEUED again until its
    turn, the attempt given back; neither sent nor held by the patient's limit."""
    _requeue(
        message,
        now,
        at=now + timedelta(seconds=wait),
        reason="waiting for the sending number's turn",
        attempts=F("attempts") - 1,
    )
    return "rate-limited"


def _retry_later(message: Message, exc: RetryableError, now: datetime) -> str:
    """Try again after the backoff, or give up once the message's window has closed."""
    retry_at = retries.next_try_at(
        tries=message.attempts,
        now=now,
        deadline=retries.deadline_for(message),
        spread=retries.spread_of(message.pk),
    )
    if retry_at is None:
        hours = max(1, round((now - message.created).total_seconds() / 3600))
        detail = f"{retries.plain_reason(str(exc))} ({message.attempts} tries over {hours} h)"
        _give_up(message, now, undelivered(detail))
        return "failed"
    _requeue(message, now, at=retry_at, reason=f"retrying: {exc}")
    return "retry"


@transaction.atomic
def _requeue(message: Message, now: datetime, *, at: datetime, reason: str, **fields) -> None:
    """SENDING back to QUEUED until `at`, its delivery queued for then; a time further off
    than a countdown may wait is queued by the sweeper when due."""
    moved = _transition(
        message,
        Message.Status.SENDING,
        Message.Status.QUEUED,
        now,
        reason=reason,
        send_after=at,
        **fields,
    )
    delay = (at - now).total_seconds()
    if moved and delay <= LONGEST_COUNTDOWN:
        enqueue_delivery(message.pk, countdown=delay)


@transaction.atomic
def _refuse(message: Message, exc: PermanentError, now: datetime) -> None:
    code = str(exc.code or "")
    reason = PERMANENT_REASONS.get(exc.code, str(exc))
    _transition(
        message, Message.Status.SENDING, Message.Status.FAILED, now, reason=reason, error_code=code
    )
    _after_permanent_failure(message, exc.code, reason, now)


PERMANENT_REASONS = {
    21610: "The patient opted out of texts (STOP): nothing more is sent.",
    21211: "The phone number on file is not valid.",
    21614: "The number on file cannot receive texts (not a mobile number).",
    21635: "The number on file is not a valid mobile number.",
    30003: "The phone is unreachable (off or out of service).",
    30004: "The message was blocked by the recipient or carrier.",
    30005: "The number is unknown to the carrier.",
    30006: "The number is a landline or unreachable by text.",
    30007: "The carrier filtered the message.",
}


def _after_permanent_failure(message: Message, code: int | None, reason: str, now: datetime):
    """Surface a refused message on its work item; a 21610 is an opt-out to record."""
    if code == OPTED_OUT_CODE and message.patient_id is not None and message.to_number:
        record_opt_out(
            practice_id=message.practice_id,
            phone=message.to_number,
            now=now,
            source="carrier reported unsubscribed (Twilio 21610)",
        )
    _message_event(
        message, "message_failed", now, {"error_code": str(code or ""), "reason": reason}
    )
    surface_failure(
        message=message, reason=undelivered(reason), now=now, opted_out=code == OPTED_OUT_CODE
    )


def _give_up(message: Message, now: datetime, reason: str) -> None:
    """The window closed: FAILED, a dead letter for the admins, and the item or reminder told."""
    with transaction.atomic():
        if not _transition(message, message.status, Message.Status.FAILED, now, reason=reason):
            return
        dead_letter(
            kind=DeadLetter.Kind.MESSAGE,
            object_id=message.pk,
            reason=reason,
            now=now,
            attempts=message.attempts,
        )
        _message_event(message, "message_failed", now, {"reason": reason})
        surface_failure(message=message, reason=reason, now=now, opted_out=False)


def dead_letter(*, kind: str, object_id: int, reason: str, now: datetime, attempts: int = 0):
    """Set work aside for a person (once per object) and say so loudly in the log."""
    DeadLetter.objects.get_or_create(
        kind=kind,
        object_id=object_id,
        defaults={"reason": reason[:200], "attempts": attempts, "created": now},
    )
    logger.error("dead letter: %s %s", kind, object_id)


def _record_sent(message: Message, sid: str, status: str, now: datetime) -> None:
    # One conditional UPDATE, committed on its own (autocommit): durable before the task ends.
    _transition(message, Message.Status.SENDING, status, now, provider_sid=sid, error_code="")
    if message.item_id and message.template_id and not message.is_automatic:
        # A reply held back by quiet hours becomes the first response when it actually goes,
        # which the open queues show ("Answered") though no item event is recorded.
        answered = WorkItem.objects.filter(pk=message.item_id, first_response_at=None).update(
            first_response_at=now, version=F("version") + 1, updated=now
        )
        if answered:
            changes.items_changed([message.item_id])


# ---------------------------------------------------------------------------- the sweeper


def sweep_stale_messages(*, now: datetime) -> dict[str, int]:
    """Pick up what a killed worker or a lost broker message left behind. Safe to run twice.

    Due SCHEDULED rows are queued; QUEUED rows long past due are enqueued again (the claim
    makes a duplicate harmless); SENDING rows past their lease and UNKNOWN rows are first
    reconciled with the provider, and only a message the provider never accepted is sent.
    """
    counts = {"scheduled": 0, "requeued": 0, "reconciled": 0, "resent": 0}
    with transaction.atomic():
        due = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(status=Message.Status.SCHEDULED, send_after__lte=now)
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        counts["scheduled"] = Message.objects.filter(
            pk__in=due, status=Message.Status.SCHEDULED
        ).update(status=Message.Status.QUEUED, status_reason="", updated=now)
        for pk in due:
            enqueue_delivery(pk)
    with transaction.atomic():
        # `updated` marks the last hand-over to the broker: a backlog still draining from the
        # broker gets at most one extra (harmless) task per row per grace, not one per sweep.
        lost = Message.objects.filter(status=Message.Status.QUEUED, updated__lt=now - QUEUED_GRACE)
        lost = lost.filter(Q(send_after__isnull=True) | Q(send_after__lt=now - QUEUED_GRACE))
        requeue = list(
            lost.select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:REQUEUE_BATCH]
        )
        Message.objects.filter(pk__in=requeue).update(updated=now)
        enqueue_deliveries(requeue)
        counts["requeued"] = len(requeue)
    for pk in _stale(Message.objects.all(), now).values_list("pk", flat=True)[:SWEEP_BATCH]:
        result = reconcile_message(message_id=pk, now=now)
        if result == "found":
            counts["reconciled"] += 1
        elif result == "requeued":
            counts["resent"] += 1
    return counts


def _stale(messages, now: datetime):
    """SENDING rows past their lease, UNKNOWN rows old enough to read the provider's list."""
    return messages.filter(
        Q(status=Message.Status.SENDING, claimed_at__lt=now - SENDING_LEASE)
        | Q(status=Message.Status.UNKNOWN, claimed_at__lt=now - RECONCILE_AFTER)
    )


def reconcile_message(*, message_id: int, now: datetime) -> str:
    """Settle a message whose send may or may not have reached the provider.

    The row stays locked while the provider is asked, so a status callback or a second
    sweeper waits and then sees the answer. Found → recorded as sent, never sent again.
    Not found → queued for a fresh attempt. The provider unreachable → left for next time.
    """
    with transaction.atomic():
        # The lease is read again under the lock: a batch may have renewed it since.
        message = (
            _stale(Message.objects.select_for_update(skip_locked=True), now)
            .filter(pk=message_id)
            .first()
        )
        if message is None:
            return "skipped"
        if message.provider_sid:
            # A status callback already proved acceptance.
            _transition(message, message.status, Message.Status.SENT, now)
            return "found"
        try:
            found = get_backend().find_sent(message, since=message.created)
        except TwilioError:
            logger.warning("reconciliation of message %s postponed", message.pk)
            return "postponed"
        if found is not None:
            _transition(message, message.status, found.status, now, provider_sid=found.sid)
            _message_event(message, "message_reconciled", now, {"found": True})
            return "found"
        if message.attempts >= MAX_ATTEMPTS or now >= retries.deadline_for(message):
            _give_up(message, now, undelivered("the text message service never confirmed it"))
            return "failed"
        _transition(
            message,
            message.status,
            Message.Status.QUEUED,
            now,
            reason="not found at the provider; sending again",
            send_after=None,
        )
        enqueue_delivery(message.pk)
        return "requeued"


# ---------------------------------------------------------------------------- status callbacks


@transaction.atomic
def apply_status_callback(
    *, sid: str, status: str, error_code: str, now: datetime, message_code: str = ""
) -> Message | None:
    """Move a message's status forward only: a late or repeated callback changes nothing.

    Unknown SIDs return None (the webhook still answers 200, so Twilio stops retrying).
    """
    target = TWILIO_STATUS.get(status)
    message = Message.objects.select_for_update().filter(provider_sid=sid).first()
    if message is None and message_code:
        # The send timed out before the SID was stored; the callback URL names the message.
        message = (
            Message.objects.select_for_update()
            .filter(code=message_code, provider_sid__isnull=True)
            .first()
            if _is_uuid(message_code)
            else None
        )
    if message is None or target is None or message.direction != Message.Direction.OUTBOUND:
        return message
    if message.status in (Message.Status.BLOCKED, Message.Status.CANCELLED):
        return message
    updates: dict = {}
    if not message.provider_sid:
        updates["provider_sid"] = sid
    if RANK[target] > RANK.get(message.status, 0):
        updates["status"] = target
        updates["status_reason"] = ""
    if error_code and not message.error_code and target in FINAL[1:]:
        updates["error_code"] = error_code[:8]
    if not updates:
        return message
    Message.objects.filter(pk=message.pk).update(updated=now, **updates)
    message.refresh_from_db()
    if "status" in updates and target in FINAL[1:]:
        code = int(error_code) if error_code.isdigit() else None
        reason = PERMANENT_REASONS.get(code, f"Not delivered ({status}).")
        Message.objects.filter(pk=message.pk).update(status_reason=reason[:200])
        _after_permanent_failure(message, code, reason, now)
    return message


def _is_uuid(value: str) -> bool:

    try:
        UUID(value)
    except ValueError:
        return False
    return True
