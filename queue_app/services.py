"""State changes of the queue: intake, ownership, working an item and closing it.

Every function here is the only way its change happens: views, tasks and admin actions all
call them. Each takes `now=` from the caller, changes rows with conditional updates (so a
stale page or a second click changes nothing) and writes one ItemEvent per change.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from uuid import UUID, uuid4

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet
from guardian.shortcuts import get_users_with_perms

from queue_app import access, lanes
from queue_app.clock import (
    DEFAULT_BLOCKS,
    BusinessHours,
    add_business_minutes,
    business_minutes_between,
    current_rhythm_block,
    zone,
)
from queue_app.events import record_item_event, record_item_events
from queue_app.models import (
    QUEUE_DUE,
    QUEUE_RANK,
    CallAttempt,
    CommunicationMoment,
    ItemEvent,
    Message,
    Patient,
    Practice,
    StaffProfile,
    WorkItem,
)
from templates_lib.channel_rules import check_send
from templates_lib.models import ResponseTemplate
from templates_lib.rendering import MissingValueError
from templates_lib.services import render_for_item

logger = logging.getLogger(__name__)

REPEAT_WINDOW = timedelta(days=7)
# Triage boundaries that leave the assistant's hands at intake, and how pressing each is.
PRIORITY = {
    WorkItem.Boundary.URGENT: 30,
    WorkItem.Boundary.CLINICAL: 20,
    WorkItem.Boundary.COMPLAINT: 10,
}
WORKED = (WorkItem.Status.ASSIGNED, WorkItem.Status.WAITING, WorkItem.Status.ESCALATED)
OPEN = (
    WorkItem.Status.NEW,
    WorkItem.Status.ASSIGNED,
    WorkItem.Status.WAITING,
    WorkItem.Status.ESCALATED,
)
# Item channels answered in writing on the portal; everything else by SMS.
REPLY_CHANNEL = {WorkItem.Channel.PORTAL: Message.Channel.PORTAL}


class ActionRefused(Exception):
    """A domain rule refuses the action; the message is shown to the person as it is."""


class ItemNotClaimable(ActionRefused):
    def __init__(self, message: str, holder: User | None = None) -> None:
        super().__init__(message)
        self.holder = holder


class StaleItem(ActionRefused):
    """The item changed since the page was drawn (someone else acted first)."""


def holder_name(user: User | None) -> str:
    if user is None:
        return "nobody"
    return user.get_full_name() or user.username


def reply_channel(item: WorkItem) -> str:
    return REPLY_CHANNEL.get(item.channel, Message.Channel.SMS)


def business_hours(practice: Practice) -> BusinessHours:
    return BusinessHours.from_json(practice.timezone, practice.business_hours)


def _locked(item: WorkItem) -> WorkItem:
    """The item's row, locked for the rest of the transaction, with what the checks need."""
    return (
        WorkItem.objects.select_for_update(of=("self",))
        .select_related("practice", "patient", "moment", "owner")
        .get(pk=item.pk)
    )


def _require_owner(item: WorkItem, actor: User) -> None:
    if item.status == WorkItem.Status.RESOLVED:
        raise ActionRefused("This item is already resolved.")
    if item.owner_id != actor.pk:
        if item.owner_id is None:
            raise ActionRefused("Claim this item first.")
        raise ActionRefused(f"{holder_name(item.owner)} has this item; ask them or a manager.")


def _refresh(item: WorkItem) -> WorkItem:
    """Reload the caller's instance, so what the view renders next is what is stored."""
    item.refresh_from_db()
    return item


# ---------------------------------------------------------------------------- intake


@transaction.atomic
def create_item(
    *,
    practice: Practice,
    patient: Patient | None,
    moment: CommunicationMoment,
    channel: str,
    words: str,
    language: str,
    now: datetime,
    actor: User | None = None,
    service: str = "",
) -> WorkItem:
    """Open an item: due in business minutes, triaged, escalated if needed, then assigned."""
    from escalation import services as escalation_services
    from escalation.triage import triage

    due_at = add_business_minutes(now, moment.first_response_minutes, business_hours(practice))
    earlier = None
    if patient is not None:
        earlier = (
            WorkItem.objects.filter(
                patient=patient, moment=moment, received_at__gte=now - REPEAT_WINDOW
            )
            .order_by("-received_at", "-id")
            .first()
        )
    result = triage(words, language, channel)
    boundary = result.boundary
    item = WorkItem.objects.create(
        practice=practice,
        patient=patient,
        moment=moment,
        channel=channel,
        patient_words=words,
        language=language,
        boundary=boundary,
        triage_reasons=list(result.reasons),
        priority=PRIORITY.get(boundary, 0),
        received_at=now,
        due_at=due_at,
        repeat_of=earlier,
    )
    record_item_event(
        item=item,
        kind="created",
        now=now,
        actor=actor,
        service=service or "intake",
        after={
            "channel": channel,
            "moment": moment.key,
            "boundary": boundary,
            "repeat_of": str(earlier.code) if earlier else None,
        },
    )
    route = escalation_services.BOUNDARY_ROUTE.get(boundary)
    if route is not None:
        escalation_services.escalate_item(
            item=item,
            route_kind=route,
            reason="; ".join(result.reasons) or f"triage: {boundary}",
            now=now,
            service="triage",
            detected_by="triage",
        )
    if practice.assignment_rule == Practice.AssignmentRule.ROUND_ROBIN:
        assign_new_item(item=item, now=now)
    return item


def _rhythm_blocks(practice: Practice) -> dict[str, tuple[time, time]]:
    blocks = {}
    for name, span in (practice.rhythm_blocks or {}).items():
        try:
            blocks[name] = (time.fromisoformat(span[0]), time.fromisoformat(span[1]))
        except (TypeError, ValueError, IndexError):
            continue
    return blocks or DEFAULT_BLOCKS


def rhythm_block_now(*, practice: Practice, now: datetime) -> str:
    """The part of the day the practice is in now, from its own rhythm-block setting."""
    return current_rhythm_block(now, zone(practice.timezone), _rhythm_blocks(practice))


# ---------------------------------------------------------------------------- ownership


def assignment_candidates(*, practice: Practice, language: str, now: datetime) -> list[User]:
    """Assistants who may take a new item now, least loaded and least recently assigned first.

    Assistants are people who WORK the practice without managing it: managers are who an
    item is raised to when nobody can take it.
    """
    workers = get_users_with_perms(practice, only_with_perms_in=[access.WORK])
    managers = get_users_with_perms(practice, only_with_perms_in=[access.MANAGE])
    profiles = StaffProfile.objects.filter(
        user__in=workers.exclude(pk__in=managers.values("pk")),
        user__is_active=True,
        on_shift=True,
        languages__contains=[language],
    ).values_list("user_id", flat=True)
    candidates = (
        User.objects.filter(pk__in=profiles)
        .annotate(
            open_items=Count(
                "owned_items",
                filter=Q(owned_items__practice=practice) & ~Q(owned_items__status="resolved"),
            )
        )
        .filter(open_items__lt=practice.assignment_cap)
    )
    users = list(candidates)
    last = dict(
        ItemEvent.objects.filter(
            item__practice=practice,
            kind__in=["assigned", "claimed", "reassigned"],
            created__gte=now - timedelta(days=1),
            after__owner__in=[u.pk for u in users],
        )
        .values_list("after__owner")
        .annotate(last=Max("created"))
    )
    oldest = datetime.min.replace(tzinfo=now.tzinfo)
    users.sort(key=lambda u: (u.open_items, last.get(u.pk) or oldest, u.pk))
    return users


@transaction.atomic
def assign_new_item(*, item: WorkItem, now: datetime) -> WorkItem:
    """Round robin among assistants on shift who cover the language, under the cap.

    Nobody available: the item stays unowned and is raised to the manager.
    """
    # One assignment at a time per practice, so two intakes never push a person past the cap.
    Practice.objects.select_for_update().filter(pk=item.practice_id).first()
    _locked(item)
    _refresh(item)
    if item.owner_id is not None or item.status not in (
        WorkItem.Status.NEW,
        WorkItem.Status.ESCALATED,
    ):
        return item
    for user in assignment_candidates(practice=item.practice, language=item.language, now=now):
        status = WorkItem.Status.ASSIGNED if item.status == WorkItem.Status.NEW else item.status
        changed = WorkItem.objects.filter(pk=item.pk, owner=None, version=item.version).update(
            owner=user, status=status, version=F("version") + 1, updated=now
        )
        if changed:
            record_item_event(
                item=item,
                kind="assigned",
                now=now,
                service="assignment",
                before={"status": item.status},
                after={"status": status, "owner": user.pk},
            )
            return _refresh(item)
    if item.raised_to_manager_at is None:
        WorkItem.objects.filter(pk=item.pk, raised_to_manager_at=None).update(
            raised_to_manager_at=now, updated=now
        )
        record_item_event(
            item=item,
            kind="raised_to_manager",
            now=now,
            service="assignment",
            after={"reason": "nobody on shift covers this language under the cap"},
        )
    return _refresh(item)


@transaction.atomic
def flag_unowned_overdue(*, now: datetime) -> int:
    """Raise to the manager every unowned item past its target (safe to run twice)."""
    ids = list(
        WorkItem.objects.select_for_update(skip_locked=True)
        .filter(status=WorkItem.Status.NEW, due_at__lt=now, raised_to_manager_at=None)
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    WorkItem.objects.filter(pk__in=ids, raised_to_manager_at=None).update(
        raised_to_manager_at=now, updated=now
    )
    record_item_events(
        item_ids=ids,
        kind="raised_to_manager",
        now=now,
        service="deadline-watch",
        after={"reason": "unowned past its first-response target"},
    )
    return len(ids)


@transaction.atomic
def claim_item(*, item: WorkItem, actor: User, now: datetime) -> WorkItem:
    """Take an unowned item. Two simultaneous claims give one owner; the other learns who."""
    if not access.user_can(actor, item.practice, access.WORK):
        raise ActionRefused("You do not work this practice's queue.")
    # The conditional UPDATE takes the row lock: a second claim waits for the first to
    # commit, re-reads the row, finds an owner and updates nothing.
    claimed = WorkItem.objects.filter(pk=item.pk, owner=None, status=WorkItem.Status.NEW).update(
        owner=actor, status=WorkItem.Status.ASSIGNED, version=F("version") + 1, updated=now
    )
    before = WorkItem.Status.NEW
    if not claimed:
        claimed = WorkItem.objects.filter(
            pk=item.pk, owner=None, status=WorkItem.Status.ESCALATED
        ).update(owner=actor, version=F("version") + 1, updated=now)
        before = WorkItem.Status.ESCALATED
    if not claimed:
        fresh = WorkItem.objects.select_related("owner").get(pk=item.pk)
        if fresh.owner_id == actor.pk:
            raise ItemNotClaimable("You already have this item.", holder=actor)
        if fresh.status == WorkItem.Status.RESOLVED:
            raise ItemNotClaimable("This item is already resolved.")
        raise ItemNotClaimable(
            f"{holder_name(fresh.owner)} already has this item.", holder=fresh.owner
        )
    record_item_event(
        item=item,
        kind="claimed",
        now=now,
        actor=actor,
        before={"status": before, "owner": None},
        after={"status": item.status if before == "escalated" else "assigned", "owner": actor.pk},
        service="queue",
    )
    return _refresh(item)


@transaction.atomic
def release_item(*, item: WorkItem, actor: User, now: datetime) -> WorkItem:
    """Give an item back to the queue; only its owner can."""
    fresh = _locked(item)
    _require_owner(fresh, actor)
    status = WorkItem.Status.ESCALATED if fresh.status == "escalated" else WorkItem.Status.NEW
    WorkItem.objects.filter(pk=item.pk, owner=actor, version=fresh.version).update(
        owner=None, status=status, version=F("version") + 1, updated=now
    )
    record_item_event(
        item=item,
        kind="released",
        now=now,
        actor=actor,
        before={"status": fresh.status, "owner": actor.pk},
        after={"status": status, "owner": None},
        service="queue",
    )
    return _refresh(item)


@transaction.atomic
def reassign_item(*, item: WorkItem, actor: User, to: User, now: datetime) -> WorkItem:
    """A manager hands an open item to someone who works the practice (checked by the view)."""
    fresh = _locked(item)
    if fresh.status == WorkItem.Status.RESOLVED:
        raise ActionRefused("This item is already resolved.")
    if not access.user_can(to, fresh.practice, access.WORK):
        raise ActionRefused(f"{holder_name(to)} does not work this practice's queue.")
    if fresh.owner_id == to.pk:
        raise ActionRefused(f"{holder_name(to)} already has this item.")
    status = WorkItem.Status.ASSIGNED if fresh.status == WorkItem.Status.NEW else fresh.status
    WorkItem.objects.filter(pk=item.pk, version=fresh.version).update(
        owner=to, status=status, version=F("version") + 1, updated=now
    )
    record_item_event(
        item=item,
        kind="reassigned",
        now=now,
        actor=actor,
        before={"status": fresh.status, "owner": fresh.owner_id},
        after={"status": status, "owner": to.pk},
        service="queue",
    )
    return _refresh(item)


# ---------------------------------------------------------------------------- working it


@transaction.atomic
def verify_identity(*, item: WorkItem, actor: User, fields: list[str], now: datetime) -> WorkItem:
    """Record verified identity fields one by one; identity counts only when all are checked."""
    fresh = _locked(item)
    _require_owner(fresh, actor)
    required = list(fresh.moment.verification_fields)
    unknown = [f for f in fields if f not in required]
    if unknown:
        raise ActionRefused(f"Not a verification field of this moment: {', '.join(unknown)}.")
    added = [f for f in fields if f not in fresh.verified_fields]
    if not added:
        return _refresh(item)
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
    return _refresh(item)


def _deliver_on_commit(message: Message) -> bool:
    """Queue delivery once the row is committed; False when the worker task isn't built."""
    try:
        from messaging.tasks import deliver_message_task
    except ImportError:
        logger.warning("deliver_message_task missing; message %s stays queued", message.pk)
        return False
    message_id = message.pk
    transaction.on_commit(lambda: deliver_message_task.delay(message_id))
    return True


@dataclass(frozen=True)
class SendResult:
    message: Message
    scheduled: bool
    duplicate: bool = False


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
    fresh = _locked(item)
    # Checked under the item's lock, so a double submit waits and then finds the first send.
    key = f"item-{item.code}-send-{(token or uuid4()).hex}"
    existing = Message.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return SendResult(existing, existing.status == Message.Status.SCHEDULED, duplicate=True)
    _require_owner(fresh, actor)
    if fresh.patient is None:
        raise ActionRefused("This item has no patient on file to write to.")
    if fresh.identity_verified_at is None:
        raise ActionRefused("Verify the patient's identity before sending anything.")
    if (
        template is None
        or template.status != ResponseTemplate.Status.APPROVED
        or template.moment_id != fresh.moment_id
        or template.channel != channel
    ):
        raise ActionRefused("Only the moment's approved response can be sent.")
    decision = check_send(
        patient=fresh.patient, moment=fresh.moment, channel=channel, now=now, item=fresh
    )
    if not decision.allowed and decision.not_before is None:
        raise ActionRefused(decision.reason)
    try:
        body = render_for_item(template=template, item=fresh, now=now)
    except MissingValueError as exc:
        missing = ", ".join(exc.names)
        raise ActionRefused(
            f"The response needs values that are not on file: {missing}. "
            "Nothing was sent; add them or call the patient."
        ) from exc
    scheduled = decision.not_before is not None
    message = Message.objects.create(
        practice=fresh.practice,
        item=fresh,
        patient=fresh.patient,
        direction=Message.Direction.OUTBOUND,
        channel=channel,
        body=body,
        language=template.language,
        template=template,
        sent_by=actor,
        to_number=fresh.patient.phone if channel == Message.Channel.SMS else "",
        from_number=fresh.practice.phone,
        status=Message.Status.SCHEDULED if scheduled else Message.Status.QUEUED,
        status_reason=decision.reason if scheduled else "",
        idempotency_key=key,
        send_after=decision.not_before,
        created=now,
    )
    if not scheduled and fresh.first_response_at is None:
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
            "template": template.pk,
            "channel": channel,
            "send_after": decision.not_before.isoformat() if scheduled else None,
        },
        service="queue",
    )
    if not scheduled:
        _deliver_on_commit(message)
    _refresh(item)
    return SendResult(message, scheduled)


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
    fresh = _locked(item)
    _require_owner(fresh, actor)
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
    _refresh(item)
    return attempt


@transaction.atomic
def mark_needed(*, item: WorkItem, actor: User, needed: str, now: datetime) -> WorkItem:
    """Say what the patient must send; the item waits on them and its clock pauses."""
    fresh = _locked(item)
    _require_owner(fresh, actor)
    needed = needed.strip()
    if not needed:
        raise ActionRefused("Say what is needed from the patient.")
    if fresh.status == WorkItem.Status.ESCALATED:
        raise ActionRefused("The item is escalated; its route decides what happens next.")
    WorkItem.objects.filter(pk=item.pk, version=fresh.version).update(
        needed_from_patient=needed[:200],
        status=WorkItem.Status.WAITING,
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
    return _refresh(item)


@transaction.atomic
def resume_item(
    *, item: WorkItem, now: datetime, actor: User | None = None, service: str = ""
) -> WorkItem:
    """The patient answered: back to its owner, with the first-response clock moved on by
    the business time it spent waiting (deadlines pause while an item waits on the patient).
    """
    fresh = _locked(item)
    if fresh.status != WorkItem.Status.WAITING:
        return _refresh(item)
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
    return _refresh(item)


@transaction.atomic
def set_follow_up(
    *, item: WorkItem, actor: User, follow_up_at: datetime, now: datetime
) -> WorkItem:
    """Record the time the patient was promised the next update."""
    fresh = _locked(item)
    _require_owner(fresh, actor)
    if follow_up_at <= now:
        raise ActionRefused("A promised follow-up must be in the future.")
    WorkItem.objects.filter(pk=item.pk, version=fresh.version).update(
        follow_up_at=follow_up_at, version=F("version") + 1, updated=now
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
    return _refresh(item)


# "the request", "the promised follow-up"…: for the sentence that names what a note lacks.
NOTE_ELEMENT_LABELS = {
    key: f"the {name.lower()}" for key, name in lanes.NOTE_ELEMENT_LABELS["en"].items()
}


@transaction.atomic
def resolve_item(*, item: WorkItem, actor: User, now: datetime) -> WorkItem:
    """Close an item; only with no open escalation and a note that meets its standard."""
    from escalation.services import blocks_resolution
    from notes.services import latest_note_verdict

    fresh = _locked(item)
    _require_owner(fresh, actor)
    blocked = blocks_resolution(fresh)
    if blocked:
        raise ActionRefused(blocked)
    verdict = latest_note_verdict(fresh)
    if verdict is None:
        raise ActionRefused("Write a note before resolving: the item closes only with one.")
    if verdict.label == "vague":
        missing = ", ".join(NOTE_ELEMENT_LABELS.get(m, m) for m in verdict.missing)
        raise ActionRefused(f"The latest note does not meet the standard; it is missing {missing}.")
    changed = WorkItem.objects.filter(pk=item.pk, version=fresh.version, status__in=WORKED).update(
        status=WorkItem.Status.RESOLVED, resolved_at=now, version=F("version") + 1, updated=now
    )
    if not changed:
        raise StaleItem("The item changed meanwhile; look again before resolving.")
    record_item_event(
        item=item,
        kind="resolved",
        now=now,
        actor=actor,
        before={"status": fresh.status},
        after={"status": WorkItem.Status.RESOLVED},
        service="queue",
    )
    return _refresh(item)


# ---------------------------------------------------------------------------- the queue list


@dataclass
class QueueFilters:
    practice: str = ""
    moment: str = ""
    language: str = ""
    channel: str = ""
    status: str = ""
    scope: str = "everyone"  # mine / unassigned / everyone
    q: str = ""
    block: str = ""


def queue_items(
    *,
    user: User,
    filters: QueueFilters,
    now: datetime,
    practices: list[Practice] | None = None,
) -> QuerySet[WorkItem]:
    """Open items of the practices the user works, what is most pressing first.

    `practices` (the user's WORK practices, when the caller has them already) saves a query.
    """
    if practices is None:
        practices = list(access.practices_for(user, access.WORK))
    # Plain ids, not the permission subquery: planning the page's two queries stays cheap.
    # open() is "status <> resolved", the very condition of the partial indexes.
    items = WorkItem.objects.open().filter(practice_id__in=[p.pk for p in practices])
    if filters.practice:
        items = items.filter(practice__slug=filters.practice)
    if filters.moment:
        items = items.filter(moment__key=filters.moment)
    if filters.language:
        items = items.filter(language=filters.language)
    if filters.channel:
        items = items.filter(channel=filters.channel)
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.scope == "mine":
        items = items.filter(owner=user)
    elif filters.scope == "unassigned":
        items = items.filter(owner=None)
    if filters.block:
        # Urgent and escalated work shows whatever part of the day it is.
        items = items.filter(
            Q(moment__rhythm_block=filters.block)
            | Q(boundary=WorkItem.Boundary.URGENT)
            | Q(status=WorkItem.Status.ESCALATED)
        )
    for word in filters.q.split()[:3]:
        items = items.filter(
            Q(patient__first_name__icontains=word) | Q(patient__last_name__icontains=word)
        )
    return (
        items.annotate(rank=QUEUE_RANK, next_due=QUEUE_DUE)
        .select_related("practice", "patient", "moment", "owner")
        .order_by("rank", "next_due", "id")
    )
