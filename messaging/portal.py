"""Messages a patient writes in a portal or EHR, posted to the queue by that system.

The sender authenticates with its practice's token (kept hashed) and signs each body with it
and a timestamp, so a captured request cannot be altered or replayed after the window; the
sender's message id makes a repeated post a no-op. A known patient's message then takes the
inbound SMS's path to a person (`inbound_sms.to_person`): threaded into their open item or
a new one, triaged either way. See docs/PORTAL.md.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from messaging.inbound_sms import to_person
from messaging.models import PortalToken
from queue_app.audit import record_service_action
from queue_app.models import Message, Patient, Practice, WorkItem

PORTAL_SERVICE = "portal"
TOKEN_PREFIX = "pq_"
SIGNATURE_SCHEME = "v1"
MAX_TEXT = 5000
MAX_MESSAGE_ID = 64


class PortalRefused(Exception):
    """A post the queue will not take; `status` is the HTTP answer, the text says why."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


@dataclass(frozen=True)
class Received:
    message: Message
    created: bool


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_portal_token(
    *, practice: Practice, label: str, now: datetime
) -> tuple[PortalToken, str]:
    """A new token for the practice; the token itself is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = PortalToken.objects.create(
        practice=practice, label=label[:80], token_hash=_hash(token), prefix=token[:10], created=now
    )
    return row, token


def sign(*, token: str, timestamp: str, body: bytes) -> str:
    """The signature a sender puts in X-Portal-Signature: HMAC-SHA256 of "<timestamp>.<body>"."""
    digest = hmac.new(token.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"{SIGNATURE_SCHEME}={digest.hexdigest()}"


def authenticate(
    *, authorization: str, timestamp: str, signature: str, body: bytes, now: datetime
) -> PortalToken:
    """The token's row when the post is signed by its holder within the window; else refused."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.startswith(TOKEN_PREFIX):
        raise PortalRefused(401, "unauthenticated", "A portal token is required.")
    row = (
        PortalToken.objects.select_related("practice")
        .filter(token_hash=_hash(token.strip()), revoked_at__isnull=True)
        .first()
    )
    if row is None:
        raise PortalRefused(401, "unauthenticated", "The portal token is unknown or revoked.")
    if not timestamp or not signature:
        raise PortalRefused(401, "unsigned", "The post must be signed (see docs/PORTAL.md).")
    expected = sign(token=token.strip(), timestamp=timestamp, body=body)
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise PortalRefused(403, "bad_signature", "The signature does not match the body.")
    try:
        age = abs(now.timestamp() - int(timestamp))
    except ValueError:
        raise PortalRefused(403, "bad_timestamp", "The timestamp is not Unix seconds.") from None
    if age > settings.PORTAL_SIGNATURE_WINDOW:
        raise PortalRefused(403, "stale", "The timestamp is outside the accepted window.")
    PortalToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row


def receive_portal_message(
    *, practice: Practice, mrn: str, sender_message_id: str, text: str, now: datetime
) -> Received:
    """Store a patient's portal message once per sender id and send it to a person."""
    sender_message_id, text = str(sender_message_id).strip(), str(text).strip()
    if not sender_message_id or len(sender_message_id) > MAX_MESSAGE_ID:
        raise PortalRefused(400, "bad_message_id", "message_id must be 1 to 64 characters.")
    if not text or len(text) > MAX_TEXT or "\x00" in text:
        raise PortalRefused(400, "bad_text", f"text must be 1 to {MAX_TEXT} characters.")
    key = f"portal-{practice.pk}-{sender_message_id}"
    existing = Message.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return Received(existing, created=False)
    patient = Patient.objects.filter(practice=practice, external_id=str(mrn).strip()).first()
    if not str(mrn).strip() or patient is None:
        raise PortalRefused(
            422, "unknown_patient", "No patient of this practice has this MRN; nothing was stored."
        )
    try:
        return Received(_store_and_route(patient, key, text, now), created=True)
    except IntegrityError:
        # The same post, twice at once: the other one stored it.
        return Received(Message.objects.get(idempotency_key=key), created=False)


@transaction.atomic
def _store_and_route(patient: Patient, key: str, text: str, now: datetime) -> Message:
    message = Message.objects.create(
        practice=patient.practice,
        patient=patient,
        direction=Message.Direction.INBOUND,
        channel=Message.Channel.PORTAL,
        body=text,
        language=patient.preferred_language,
        status=Message.Status.RECEIVED,
        idempotency_key=key,
        created=now,
    )
    to_person(message, [patient], now, channel=WorkItem.Channel.PORTAL, service=PORTAL_SERVICE)
    record_service_action(
        service=PORTAL_SERVICE,
        action="portal_message_received",
        practice=patient.practice,
        patient_ids=[patient.pk],
    )
    message.refresh_from_db()
    return message
