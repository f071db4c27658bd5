"""The daily inbound reconciliation: texts Twilio received that never reached the webhook.

Twilio gives up on a webhook after a short while: an outage of the site, a proxy refusing or
a DNS change loses the patient's text for good unless someone asks Twilio for it. Once a day
each practice number's inbound messages of the last INBOUND_RECONCILE_HOURS are read from
Twilio's Messages list; a SID never stored is stored as the webhook would have stored it
(`inbound.store_event`) and processed by the same worker path: keywords, confirmations,
triage into a person's queue. The stored event's unique (kind, sid) and the message's unique
SID make a second run, or a webhook arriving late, a no-op.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings

from messaging import twilio_client
from messaging.inbound import store_event
from queue_app.audit import record_service_action
from queue_app.models import Message, Practice, PracticeNumber, WebhookEvent

logger = logging.getLogger(__name__)
SERVICE = "inbound-reconcile"
# The stored event's path says where it came from: Twilio's list, not a webhook.
RECONCILE_PATH = "reconcile:twilio-messages-list"


def reconcile_inbound(*, now: datetime, hours: int | None = None) -> dict[str, int]:
    """File every inbound SMS of the last `hours` that Twilio holds and the queue does not."""
    counts = {"numbers": 0, "listed": 0, "recovered": 0, "failed": 0}
    if not settings.TWILIO_ACCOUNT_SID:
        return counts  # no Twilio account (the dev outbox): nothing to ask
    since = now - timedelta(hours=hours or settings.INBOUND_RECONCILE_HOURS)
    for number in PracticeNumber.objects.select_related("practice").order_by("pk"):
        counts["numbers"] += 1
        try:
            received = twilio_client.list_inbound(to=number.number, since=since)
        except twilio_client.TwilioError:
            # Ids only: the number itself is a practice's, but logs stay free of numbers.
            logger.warning("inbound reconciliation: Twilio list failed for number %s", number.pk)
            counts["failed"] += 1
            continue
        counts["listed"] += len(received)
        counts["recovered"] += file_missing(practice=number.practice, received=received, now=now)
    logger.info("inbound reconciliation: %s", counts)
    return counts


def file_missing(
    *, practice: Practice, received: list[twilio_client.ReceivedMessage], now: datetime
) -> int:
    """Store the messages never stored before, as their webhook would have; how many."""
    sids = [message.sid for message in received]
    known = set(
        WebhookEvent.objects.filter(kind=WebhookEvent.Kind.SMS, sid__in=sids).values_list(
            "sid", flat=True
        )
    )
    # Processed webhook payloads may have been purged by retention; the message stays.
    stored = Message.objects.filter(provider_sid__in=sids)
    known |= set(stored.values_list("provider_sid", flat=True))
    recovered = 0
    for message in received:
        if message.sid in known:
            continue
        event = store_event(
            kind=WebhookEvent.Kind.SMS,
            sid=message.sid,
            status="",
            payload=webhook_payload(message),
            path=RECONCILE_PATH,
            # Read from Twilio's API with the account's credentials: as genuine as a signature.
            signed=True,
            now=now,
        )
        recovered += event is not None
    if recovered:
        logger.warning("inbound reconciliation: %s messages recovered for practice %s",
                       recovered, practice.pk)  # fmt: skip
        record_service_action(
            service=SERVICE,
            action="inbound_recovered",
            practice=practice,
            detail=f"{recovered} texts received by Twilio but never delivered to the webhook "
            "were filed from Twilio's message list.",
        )
    return recovered


def webhook_payload(message: twilio_client.ReceivedMessage) -> dict:
    """The fields of Twilio's inbound SMS webhook that the list gives back."""
    return {
        "MessageSid": message.sid,
        "SmsSid": message.sid,
        "AccountSid": settings.TWILIO_ACCOUNT_SID,
        "From": message.from_number,
        "To": message.to,
        "Body": message.body,
        "NumMedia": message.num_media,
        "_recovered": True,
    }
