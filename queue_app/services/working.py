"""Working an item: verify the patient, answer with the approved response, call, wait on them."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Max

from messaging.dispatch import enqueue_delivery
from queue_app.clock import add_business_minutes, business_minutes_between, zone
from queue_app.events import record_item_event
from queue_app.models import Appointment, CallAttempt, Message, Promise, WorkItem
from queue_app.services import promises
from queue_app.services.shared import (
    ActionRefused,
    business_hours,
    locked,
    refreshed,
    require_owner,
)
from templates_lib.channel_rules import SendDecision, check_send
from templates_lib.models import ResponseTemplate
from templates_lib.rendering import MissingValueError
from templates_lib.services import render_for_item
from templates_lib.values import value_names

APPOINTMENT_FIELD = "appointment_on_file"
# How far back an appointment still counts as "on file" (a no-show, last week's visit).
APPOINTMENT_LOOKBACK = timedelta(days=30)


def has_appointment_on_file(item: WorkItem, now: datetime) -> bool:
    """The patient has an appointment the caller could name: recent or upcoming, not cancelled."""
    if item.patient_id is None:
        return False
    return (
        Appointment.objects.filter(
            patient_id=item.patient_id, starts_at__gte=now - APPOINTMENT_LOOKBACK
        )
        .exclude(status=Appointment.Status.CANCELLED)
        .exists()
    )


def verification_fields(item: WorkItem, now: datetime) -> list[str]:
    """The moment's identity fields that can apply to this patient: "appointment on file"
    only when there is one, so nobody can tick (and a note claim) what cannot be checked."""
    fields = list(item.moment.verification_fields)
    if APPOINTMENT_FIELD in fields and not has_appointment_on_file(item, now):
        fields.remove(APPOINTMENT_FIELD)
    return fields


@transaction.atomic
def verify_identity(*, item: WorkItem, actor: User, fields: list[str], now: datetime) -> WorkItem:
    """Record verified identity fields one by one; identity counts only when all are checked."""
    fresh = locked(item)
    require_owner(fresh, actor)
    required = verification_fields(fresh, now)
    if APPOINTMENT_FIELD in fields and APPOINTMENT_FIELD not in required:
        raise ActionRefused(
            "This patient has no appointment on file, so it cannot be confirmed; "
            "the other fields are enough."
        )
    unknown = [f for f in fields if f not in required]
    if unknown:
        raise ActionRefused("That is not one of this item's identity checks.")
    added = [f for f in fields if f not in fresh.verified_fields]
    if not added:
        return refreshed(item)
    verified = [f for f in required if f in set(fresh.verified_fields) | set(added)]
    complete = all(f in verified for f in required)
    updates = {"verified_fields": verified, "version": F("version") + 1, "updated": now}
    if complete and fresh.identity_verified_at is None:
        updates["identity_verified_at"] = now
    WorkItem.objects.filter(pk=item.pk, version=fresh.version).update(**updates)
    for name in added:
        record_item_event(
            item=item,
            kind="identity_field_verified",
            now=now,
            actor=actor,
            after={"field": name},
            service="queue",
        )
    if "identity_verified_at" in updates:
        record_item_event(
            item=item,
            kind="identity_verified",
            now=now,
            actor=actor,
            after={"fields": verified},
            service="queue",
        )
    return refreshed(item)


@dataclass(frozen=True)
class SendResult:
    message: Message
    scheduled: bool
    duplicate: bool = False


# An identical text to the same patient within this window is a replay (a second click on
# a panel re-rendered with a fresh token, a second tab), never what the assistant meant.
REPEAT_WINDOW = timedelta(hours=12)
NOT_GONE = (
    Message.Status.FAILED,
    Message.Status.UNDELIVERED,
    Message.Status.BLOCKED,
    Message.Status.CANCELLED,
)


def same_message_sent(*, item: WorkItem, channel: str, body: str, now: datetime) -> Message | None:
    """The outbound message with this very text on this item lately, unless it never went."""
    return (
        item.messages.filter(
            direction=Message.Direction.OUTBOUND,
            channel=channel,
            body=body,
            created__gte=now - REPEAT_WINDOW,
        )
        .exclude(status__in=NOT_GONE)
        .order_by("-created")
        .first()
    )


def acted_on(item: WorkItem, *, action: str, now: datetime) -> None:
    """The assistant did something with the item (`action`, its event's kind): the promises
    made on it are kept if still on time, and an item the clinical team sent back stops
    leading the queue as "sent back" (the instruction stays in its conversation)."""
    promises.keep_promises(item=item, action=action, now=now)
    if item.sent_back_at is not None:
        WorkItem.objects.filter(pk=item.pk).update(sent_back_at=None)


def send_key(item: WorkItem, token: UUID | None) -> str:
    """The outbound message's idempotency key: one send per rendered form, whatever the clicks."""
    return f"item-{item.code}-send-{(token or uuid4()).hex}"


def already_sent(key: str) -> SendResult | None:
    """The message a first submit of this form stored; callers check it under the item's lock,
    so a double submit waits for the first and then finds its message."""
    existing = Message.objects.filter(idempotency_key=key).first()
    if existing is None:
        return None
    return SendResult(existing, existing.status == Message.Status.SCHEDULED, duplicate=True)


def require_sendable(item: WorkItem, actor: User) -> None:
    """Owner, a patient to write to, and identity verified: before any text is chosen."""
    require_owner(item, actor)
    if item.patient is None:
        raise ActionRefused("This item has no patient on file to write to.")
    if item.identity_verified_at is None:
        raise ActionRefused("Verify the patient's identity before sending anything.")


def channel_decision(item: WorkItem, channel: str, now: datetime) -> SendDecision:
    """The channel rules' answer (consent, opt-out, quiet hours); a plain refusal raises."""
    decision = check_send(
        patient=item.patient, moment=item.moment, channel=channel, now=now, item=item
    )
    if not decision.allowed and decision.not_before is None:
        raise ActionRefused(decision.reason)
    return decision


@dataclass(frozen=True)
class Outbound:
    """What goes to the patient: the text and where it came from."""

    channel: str
    body: str
    language: str
    template: ResponseTemplate | None = None
    # "" for an approved template; "free_text" or "holding_script" for the composer's others.
    purpose: str = ""
    details: dict = field(default_factory=dict)  # more for the item event, never patient text


def queue_outbound(
    *,
    item: WorkItem,
    actor: User,
    outbound: Outbound,
    decision: SendDecision,
    key: str,
    now: datetime,
) -> SendResult:
    """Store the outbound message as QUEUED (or SCHEDULED after quiet hours) and queue its
    delivery after the commit; the caller holds the item's lock and has checked the rest."""
    repeat = same_message_sent(item=item, channel=outbound.channel, body=outbound.body, now=now)
    if repeat is not None:
        at = repeat.created.astimezone(zone(item.practice.timezone))
        raise ActionRefused(
            f"This exact message already went to the patient at {at:%H:%M}; it was not sent again."
        )
    scheduled = decision.not_before is not None
    message = Message.objects.create(
        practice=item.practice,
        item=item,
        patient=item.patient,
        direction=Message.Direction.OUTBOUND,
        channel=outbound.channel,
        body=outbound.body,
        language=outbound.language,
        template=outbound.template,
        purpose=outbound.purpose,
        sent_by=actor,
        to_number=item.patient.phone if outbound.channel == Message.Channel.SMS else "",
        from_number=item.practice.phone,
        idempotency_key=key,
        created=now,
        **decision.outbox_state(),
    )
    # The first meaningful response is an approved template's (DESIGN.md, the scorecard).
    if not scheduled and outbound.template is not None and item.first_response_at is None:
        WorkItem.objects.filter(pk=item.pk, first_response_at=None).update(
            first_response_at=now, version=F("version") + 1, updated=now
        )
    record_item_event(
        item=item,
        kind="response_scheduled" if scheduled else "response_queued",
        now=now,
        actor=actor,
        after={
            "message": str(message.code),
            "template": outbound.template.pk if outbound.template else None,
            "channel": outbound.channel,
            "send_after": decision.not_before.isoformat() if scheduled else None,
            **({"purpose": outbound.purpose} if outbound.purpose else {}),
            **outbound.details,
        },
        service="queue",
    )
    acted_on(item, action="response_scheduled" if scheduled else "response_queued", now=now)
    if not scheduled:
        enqueue_delivery(message.pk)
    refreshed(item)
    return SendResult(message, scheduled)


@transaction.atomic
def send_response(
    *,
    item: WorkItem,
    actor: User,
    template: ResponseTemplate | None,
    channel: str,
    now: datetime,
    token: UUID | None = None,
) -> SendResult:
    """Queue the approved response for this patient after identity and channel checks.

    A repeated form token returns the first message instead of sending twice.
    """
    fresh = locked(item)
    key = send_key(item, token)
    first = already_sent(key)
    if first is not None:
        return first
    require_sendable(fresh, actor)
    if (
        template is None
        or template.status != ResponseTemplate.Status.APPROVED
        or template.moment_id != fresh.moment_id
        or template.channel != channel
    ):
        raise ActionRefused("Only the moment's approved response can be sent.")
    decision = channel_decision(fresh, channel, now)
    try:
        body = render_for_item(template=template, item=fresh, now=now)
    except MissingValueError as exc:
        raise ActionRefused(
            f"This response needs {value_names(exc.names)}, and none is on file. "
            "Nothing was sent; call the patient or choose another response."
        ) from exc
    outbound = Outbound(channel=channel, body=body, language=template.language, template=template)
    result = queue_outbound(
        item=fresh, actor=actor, outbound=outbound, decision=decision, key=key, now=now
    )
    refreshed(item)
    return result


@transaction.atomic
def log_call_attempt(
    *,
    item: WorkItem,
    actor: User,
    outcome: str,
    attempted_at: datetime,
    next_attempt_at: datetime | None,
    now: datetime,
) -> CallAttempt:
    """Number and record a call; "reached" is a first meaningful response; schedule the next."""
    fresh = locked(item)
    require_owner(fresh, actor)
    if outcome not in CallAttempt.Outcome.values or outcome == CallAttempt.Outcome.SCHEDULED:
        raise ActionRefused("Choose what happened on the call.")
    if attempted_at > now + timedelta(minutes=5):
        raise ActionRefused("A call attempt cannot be in the future.")
    if next_attempt_at is not None and next_attempt_at <= now:
        raise ActionRefused("The next attempt must be in the future.")
    # A callback the worker or an earlier attempt scheduled is the one being made now.
    pending = fresh.call_attempts.filter(outcome=CallAttempt.Outcome.SCHEDULED).first()
    if pending is not None:
        pending.attempted_at, pending.outcome, pending.by = attempted_at, outcome, actor
        pending.save(update_fields=["attempted_at", "outcome", "by"])
        attempt = pending
    else:
        number = (fresh.call_attempts.aggregate(n=Max("number"))["n"] or 0) + 1
        attempt = CallAttempt.objects.create(
            item=fresh, number=number, attempted_at=attempted_at, outcome=outcome, by=actor
        )
    updates: dict = {}
    if outcome == CallAttempt.Outcome.REACHED and fresh.first_response_at is None:
        updates["first_response_at"] = max(attempted_at, fresh.received_at)
    if next_attempt_at is not None:
        attempt.next_attempt_at = next_attempt_at
        attempt.save(update_fields=["next_attempt_at"])
        CallAttempt.objects.create(
            item=fresh, number=attempt.number + 1, due_at=next_attempt_at, by=actor
        )
        updates["follow_up_at"] = next_attempt_at
    if updates:
        WorkItem.objects.filter(pk=item.pk, version=fresh.version).update(
            **updates, version=F("version") + 1, updated=now
        )
    acted_on(fresh, action="call_logged", now=now)
    if next_attempt_at is not None:  # made after this call, so this call does not keep it
        promises.make_promise(
            item=fresh, kind=Promise.Kind.CALLBACK, due_at=next_attempt_at, actor=actor, now=now
        )
    record_item_event(
        item=item,
        kind="call_logged",
        now=now,
        actor=actor,
        after={
            "attempt": attempt.number,
            "outcome": outcome,
            "next_attempt_at": next_attempt_at.isoformat() if next_attempt_at else None,
        },
        service="queue",
    )
    refreshed(item)
    return attempt


@transaction.atomic
def mark_needed(*, item: WorkItem, actor: User, needed: str, now: datetime) -> WorkItem:
    """Say what the patient must send; the item waits on them and its clock pauses."""
    fresh = locked(item)
    require_owner(fresh, actor)
    needed = needed.strip()
    if not needed:
        raise ActionRefused("Say what is needed from the patient.")
    if fresh.status == WorkItem.Status.ESCALATED:
        raise ActionRefused("The item is escalated; its route decides what happens next.")
    WorkItem.objects.filter(pk=item.pk, version=fresh.version).update(
        needed_from_patient=needed[:200],
        status=WorkItem.Status.WAITING,
        sent_back_at=None,
        version=F("version") + 1,
        updated=now,
    )
    record_item_event(
        item=item,
        kind="waiting_on_patient",
        now=now,
        actor=actor,
        before={"status": fresh.status, "needed": fresh.needed_from_patient},
        after={"status": WorkItem.Status.WAITING, "needed": needed[:200]},
        service="queue",
    )
    return refreshed(item)


@transaction.atomic
def resume_item(
    *, item: WorkItem, now: datetime, actor: User | None = None, service: str = ""
) -> WorkItem:
    """The patient answered: back to its owner, with the first-response clock moved on by
    the business time it spent waiting (deadlines pause while an item waits on the patient).
    """
    fresh = locked(item)
    if fresh.status != WorkItem.Status.WAITING:
        return refreshed(item)
    since = (
        fresh.events.filter(kind="waiting_on_patient")
        .order_by("-created")
        .values_list("created", flat=True)
    ).first() or now
    updates: dict = {"status": WorkItem.Status.ASSIGNED}
    if fresh.first_response_at is None:
        paused = business_minutes_between(since, now, business_hours(fresh.practice))
        updates["due_at"] = add_business_minutes(
            fresh.due_at, paused, business_hours(fresh.practice)
        )
    WorkItem.objects.filter(pk=item.pk, version=fresh.version).update(
        **updates, version=F("version") + 1, updated=now
    )
    record_item_event(
        item=item,
        kind="resumed",
        now=now,
        actor=actor,
        service=service or "intake",
        before={"status": WorkItem.Status.WAITING},
        after={"status": WorkItem.Status.ASSIGNED},
    )
    return refreshed(item)


@transaction.atomic
def set_follow_up(
    *, item: WorkItem, actor: User, follow_up_at: datetime, now: datetime
) -> WorkItem:
    """Record the time the patient was promised the next update, tracked as a promise."""
    fresh = locked(item)
    require_owner(fresh, actor)
    if follow_up_at <= now:
        raise ActionRefused("A promised follow-up must be in the future.")
    WorkItem.objects.filter(pk=item.pk, version=fresh.version).update(
        follow_up_at=follow_up_at, sent_back_at=None, version=F("version") + 1, updated=now
    )
    promises.make_promise(
        item=fresh, kind=Promise.Kind.FOLLOW_UP, due_at=follow_up_at, actor=actor, now=now
    )
    record_item_event(
        item=item,
        kind="follow_up_set",
        now=now,
        actor=actor,
        before={"follow_up_at": fresh.follow_up_at.isoformat() if fresh.follow_up_at else None},
        after={"follow_up_at": follow_up_at.isoformat()},
        service="queue",
    )
    return refreshed(item)
