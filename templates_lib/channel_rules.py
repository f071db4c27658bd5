"""May this message go to this patient on this channel now? One answer for every send path.

Checked when an assistant sends and again by the worker at the moment of sending, because
opt-out, consent and quiet hours may have changed in between.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.db import connection

from messaging.models import EmailSuppression
from queue_app.clock import QuietHours, next_allowed_send, zone
from queue_app.models import (
    CallAttempt,
    CommunicationMoment,
    Consent,
    Message,
    Patient,
    WorkItem,
)
from templates_lib.models import ChannelRule

WRITTEN = ("sms", "portal", "email")
CONSENT_CHANNEL = {"sms": "sms", "portal": "portal", "email": "email", "voice": "voice"}
# Boundaries that need a person on the phone rather than a written reply.
LIVE_CALL_BOUNDARIES = {
    WorkItem.Boundary.IDENTITY_UNCLEAR: "identity is unclear",
    WorkItem.Boundary.COMPLAINT: "the patient is upset",
}


@dataclass(frozen=True)
class SendDecision:
    allowed: bool
    reason: str = ""
    # Set when the only obstacle is quiet hours: the first minute the message may go.
    not_before: datetime | None = None

    def outbox_state(self) -> dict:
        """The fields of an outbound message stored under this decision: SCHEDULED with the
        reason until quiet hours end, otherwise QUEUED."""
        if self.not_before is None:
            return {"status": Message.Status.QUEUED, "status_reason": "", "send_after": None}
        return {
            "status": Message.Status.SCHEDULED,
            "status_reason": self.reason,
            "send_after": self.not_before,
        }


def check_send(
    *,
    patient: Patient,
    moment: CommunicationMoment,
    channel: str,
    now: datetime,
    item: WorkItem | None = None,
) -> SendDecision:
    """Decide whether a written or automated message may go now; if not, why and when."""
    rule = ChannelRule.objects.filter(moment=moment, channel=channel).first()
    return _decide(
        patient=patient,
        moment=moment,
        channel=channel,
        now=now,
        rule=rule,
        consented=lambda: has_consent(patient, channel),
        item=item,
    )


def check_send_channels(
    *, item: WorkItem, channels: Iterable[str], now: datetime
) -> dict[str, SendDecision]:
    """`check_send` for one item on each channel the composer offers, read once for all of
    them: the channel rules in one query, the patient's consents in one, the item's written
    history once (it was five queries per channel)."""
    patient, moment = item.patient, item.moment
    wanted = list(dict.fromkeys(channels))
    rules = {
        rule.channel: rule for rule in ChannelRule.objects.filter(moment=moment, channel__in=wanted)
    }
    granted = consents_by_channel(patient, [CONSENT_CHANNEL[channel] for channel in wanted])
    history = WrittenHistory(item)
    quiet: dict[int, datetime] = {}
    return {
        channel: _decide(
            patient=patient,
            moment=moment,
            channel=channel,
            now=now,
            rule=rules.get(channel),
            consented=lambda channel=channel: granted.get(CONSENT_CHANNEL[channel], False),
            item=item,
            allowed_at=quiet,
            history=history,
        )
        for channel in wanted
    }


def check_send_many(
    *, sends: Sequence[tuple[Patient, CommunicationMoment]], channel: str, now: datetime
) -> list[SendDecision]:
    """`check_send` for many automated sends (no work item) at once, in the same order.

    The same decisions, with one channel-rule query and one consent query for the whole
    batch instead of two per send: the reminder batches and the delivery batches use it.
    """
    if not sends:
        return []
    moments = {moment.pk: moment for _, moment in sends}
    rules = {
        rule.moment_id: rule
        for rule in ChannelRule.objects.filter(moment_id__in=moments, channel=channel)
    }
    consents = consented_patients({patient.pk for patient, _ in sends}, channel)
    quiet: dict[int, datetime] = {}
    decisions = []
    for patient, moment in sends:
        decisions.append(
            _decide(
                patient=patient,
                moment=moment,
                channel=channel,
                now=now,
                rule=rules.get(moment.pk),
                consented=lambda p=patient: p.pk in consents,
                allowed_at=quiet,
            )
        )
    return decisions


def _decide(
    *,
    patient: Patient,
    moment: CommunicationMoment,
    channel: str,
    now: datetime,
    rule: ChannelRule | None,
    consented: Callable[[], bool],
    item: WorkItem | None = None,
    allowed_at: dict[int, datetime] | None = None,
    history: "WrittenHistory | None" = None,
) -> SendDecision:
    if rule is None or not rule.allowed:
        return SendDecision(False, f"{channel.upper()} is not allowed for {moment.key}.")
    if channel in ("sms", "voice"):
        if not patient.phone:
            return SendDecision(False, "The patient has no phone number on file.")
        if patient.opted_out_at:
            return SendDecision(False, "The patient opted out of text messages (STOP).")
    if channel == "email":
        refusal = email_refusal(patient)
        if refusal:
            return SendDecision(False, refusal)
    if rule.consent_required and not consented():
        return SendDecision(False, f"No {channel.upper()} consent is on record for the patient.")
    if item is not None and channel in WRITTEN:
        live_call = live_call_reason(item, rule, history)
        if live_call:
            return SendDecision(False, f"A live call is required: {live_call}.")
    if rule.respects_quiet_hours:
        practice = moment.practice
        # One answer per practice and `now` (a batch shares both).
        cache = allowed_at if allowed_at is not None else {}
        if practice.pk not in cache:
            quiet = QuietHours(start=practice.quiet_start, end=practice.quiet_end)
            cache[practice.pk] = next_allowed_send(now, zone(practice.timezone), quiet)
        if cache[practice.pk] > now:
            return SendDecision(
                False,
                "Quiet hours: written messages wait until morning.",
                not_before=cache[practice.pk],
            )
    return SendDecision(True)


def email_refusal(patient: Patient) -> str:
    """Why no email may go to this patient's address, or "" (a bounce or complaint stops it)."""
    if not patient.email:
        return "The patient has no email address on file."
    suppressed = EmailSuppression.objects.filter(
        practice_id=patient.practice_id, address__iexact=patient.email.strip()
    ).first()
    if suppressed is None:
        return ""
    if suppressed.reason == EmailSuppression.Reason.COMPLAINED:
        return "The patient reported our email as spam: no more email goes to this address."
    return "Email to this address bounced: nothing more is sent to it. Check the address."


def has_consent(patient: Patient, channel: str) -> bool:
    """The latest consent row for the channel decides; none on record means no consent."""
    latest = (
        Consent.objects.filter(patient=patient, channel=CONSENT_CHANNEL[channel])
        .order_by("-recorded_at", "-id")
        .first()
    )
    return bool(latest and latest.granted)


def consents_by_channel(patient: Patient, channels: Iterable[str]) -> dict[str, bool]:
    """Whether the patient consents on each of these consent channels, in one query (the
    latest row per channel decides, as in `has_consent`)."""
    latest: dict[str, bool] = {}
    rows = (
        Consent.objects.filter(patient=patient, channel__in=set(channels))
        .order_by("channel", "-recorded_at", "-id")
        .values_list("channel", "granted")
    )
    for channel, granted in rows:
        latest.setdefault(channel, granted)
    return latest


def consented_patients(patient_ids: Iterable[int], channel: str) -> set[int]:
    """Which of these patients consent on the channel: the latest row per patient decides,
    as in `has_consent`, read in one query."""
    ids = list(patient_ids)
    rows = (
        Consent.objects.filter(patient_id__in=ids, channel=CONSENT_CHANNEL[channel])
        .order_by("patient_id", "-recorded_at", "-id")
        .values_list("patient_id", "granted")
    )
    if connection.vendor == "postgresql":
        # DISTINCT ON keeps only each patient's latest row (the consent_latest index).
        rows = rows.distinct("patient_id")
    latest: dict[int, bool] = {}
    for patient_id, granted in rows:
        latest.setdefault(patient_id, granted)
    return {patient_id for patient_id, granted in latest.items() if granted}


class WrittenHistory:
    """What an item's calls and written replies say about calling first, each read once when
    first asked (the channels of one item share it)."""

    def __init__(self, item: WorkItem) -> None:
        self.item = item

    @cached_property
    def called(self) -> bool:
        attempts = self.item.call_attempts.exclude(outcome=CallAttempt.Outcome.SCHEDULED)
        return attempts.exists()

    @cached_property
    def unanswered(self) -> int:
        """Written replies sent since the patient last wrote (or ever, if never)."""
        item = self.item
        written = item.messages.filter(direction="out", channel__in=WRITTEN, is_automatic=False)
        last_inbound = (
            item.messages.filter(direction="in")
            .order_by("-created")
            .values_list("created", flat=True)
        ).first()
        if last_inbound is not None:
            written = written.filter(created__gt=last_inbound)
        return written.exclude(
            status__in=[Message.Status.BLOCKED, Message.Status.CANCELLED]
        ).count()


def live_call_reason(
    item: WorkItem, rule: ChannelRule, history: WrittenHistory | None = None
) -> str:
    if item.boundary in LIVE_CALL_BOUNDARIES:
        return LIVE_CALL_BOUNDARIES[item.boundary]
    history = history or WrittenHistory(item)
    if item.moment.live_call_required and not history.called:
        # A written reply is the fallback once a call has been tried, never the first step.
        return f"{item.moment.key} starts with a phone call"
    if history.unanswered >= rule.live_call_after_attempts:
        return f"{rule.live_call_after_attempts} written messages went unanswered"
    return ""
