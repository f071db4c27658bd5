"""An email from a patient, posted by the mail provider's inbound-parse webhook (Mailgun's
format: docs/EMAIL.md), threaded into the patient's item and triaged like a text.

The signature covers only a timestamp and a one-time token, not the body, so each token is
accepted once (SignatureToken) and only inside the window; the email's Message-Id makes the
provider's retries store nothing new. The recipient's local part names the practice
(`<practice slug>@<inbound domain>`); the sender must be a patient's address on file there.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from messaging import attachments, outbound_email
from messaging.inbound_sms import to_person
from messaging.models import SignatureToken
from queue_app.audit import record_service_action
from queue_app.events import record_item_event
from queue_app.models import Message, Patient, Practice, WorkItem

EMAIL_SERVICE = "inbound-email"
PROVIDER = "mailgun"
MAX_TEXT = 5000
UNVERIFIED_REASON = (
    "The email's sender could not be verified (SPF and DKIM failed): confirm who wrote "
    "before disclosing anything."
)


class EmailRefused(Exception):
    """An inbound email the queue will not take; `status` is the HTTP answer."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


@dataclass(frozen=True)
class InboundFile:
    name: str
    content_type: str
    size: int
    read: object  # () -> bytes, called only for a file within the size limit


@dataclass(frozen=True)
class InboundEmail:
    recipient: str
    sender: str
    message_id: str
    replied_to: list[str]  # In-Reply-To and References, the ids this email answers
    text: str
    files: list[InboundFile]
    # The provider's SPF and DKIM verdicts: False when neither vouches for the From address.
    sender_verified: bool = True


def verify_signature(*, timestamp: str, token: str, signature: str, now: datetime) -> None:
    """Refuse an email not signed with the signing key, or signed too long ago."""
    key = settings.INBOUND_EMAIL_SIGNING_KEY
    if not key or not (timestamp and token and signature):
        raise EmailRefused(401, "unsigned", "The webhook must be signed.")
    expected = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise EmailRefused(403, "bad_signature", "The signature does not match.")
    try:
        age = abs(now.timestamp() - int(timestamp))
    except ValueError:
        raise EmailRefused(403, "bad_timestamp", "The timestamp is not Unix seconds.") from None
    if age > settings.PORTAL_SIGNATURE_WINDOW:
        raise EmailRefused(403, "stale", "The timestamp is outside the accepted window.")


def _key(practice: Practice, message_id: str) -> str:
    return f"email-{practice.pk}-{hashlib.sha256(message_id.strip().encode()).hexdigest()[:40]}"


@transaction.atomic
def receive_email(*, email: InboundEmail, token: str, now: datetime) -> tuple[Message, bool]:
    """Store the email once and route it to a person; (message, created). Everything,
    the token included, rolls back on a refusal: nothing is half stored."""
    try:
        with transaction.atomic():
            SignatureToken.objects.create(provider=PROVIDER, token=token[:100], received_at=now)
    except IntegrityError:
        raise EmailRefused(403, "replayed", "This signature was already used.") from None
    local = parseaddr(email.recipient)[1].partition("@")[0].partition("+")[0].lower()
    practice = Practice.objects.filter(slug=local).first() if local else None
    if practice is None:
        raise EmailRefused(406, "unknown_recipient", "No practice receives mail at this address.")
    address = parseaddr(email.sender)[1].strip()
    patients = list(Patient.objects.filter(practice=practice, email__iexact=address)[:5])
    if not address or not patients:
        raise EmailRefused(406, "unknown_sender", "The sender is not a patient of this practice.")
    if not email.message_id.strip():
        raise EmailRefused(406, "no_message_id", "The email has no Message-Id.")
    existing = Message.objects.filter(idempotency_key=_key(practice, email.message_id)).first()
    if existing is not None:
        return existing, False
    patient = patients[0] if len(patients) == 1 else None
    message = Message.objects.create(
        practice=practice,
        patient=patient,
        direction=Message.Direction.INBOUND,
        channel=Message.Channel.EMAIL,
        body=email.text.strip()[:MAX_TEXT] or "(an email with no text)",
        language=patient.preferred_language if patient else practice.languages[0],
        status=Message.Status.RECEIVED,
        idempotency_key=_key(practice, email.message_id),
        created=now,
    )
    thread = _thread(practice, email.replied_to)
    item = to_person(
        message, patients, now, channel=WorkItem.Channel.EMAIL, service=EMAIL_SERVICE, thread=thread
    )
    if not email.sender_verified:
        _flag_unverified(item, now)
    message.refresh_from_db()
    for position, file in enumerate(email.files[: attachments.MAX_MEDIA]):
        attachments.store_upload(
            message=message,
            position=position,
            declared_type=file.content_type,
            size=file.size,
            read=file.read,
            now=now,
        )
    record_service_action(
        service=EMAIL_SERVICE,
        action="email_received",
        practice=practice,
        patient_ids=[p.pk for p in patients],
    )
    return message, True


def _flag_unverified(item: WorkItem, now: datetime) -> None:
    # Anyone can put a patient's address in From; without SPF or DKIM nothing says they did.
    WorkItem.objects.filter(pk=item.pk).update(
        triage_reasons=[UNVERIFIED_REASON, *item.triage_reasons],
        priority=F("priority") + 5,
        version=F("version") + 1,
        updated=now,
    )
    record_item_event(
        item=item,
        service=EMAIL_SERVICE,
        kind="sender_unverified",
        after={"reason": UNVERIFIED_REASON},
        now=now,
    )


def _thread(practice: Practice, replied_to: list[str]) -> WorkItem | None:
    """The open item of an earlier email of this thread, if the headers name one: the
    patient's own earlier email, or one the practice sent (its Message-Id names its sid)."""
    refs = [ref for ref in replied_to if ref.strip()][:20]
    keys = [_key(practice, ref) for ref in refs]
    sids = [sid for sid in map(outbound_email.sid_of, refs) if sid]
    if not keys:
        return None
    return (
        WorkItem.objects.open()
        .filter(practice=practice)
        .filter(
            Q(messages__idempotency_key__in=keys)
            | Q(
                messages__provider_sid__in=sids,
                messages__direction=Message.Direction.OUTBOUND,
                messages__channel=Message.Channel.EMAIL,
            )
        )
        .order_by("-received_at")
        .first()
    )
