"""Channel backends, chosen by settings.CHANNEL_BACKEND like Django's email backends.

- `OutboxBackend` (the embedded default): nothing leaves the machine; the message is marked
  sent with a local id and the Outbox page shows what would have gone out.
- `TwilioBackend`: SMS through Twilio's REST API (messaging.twilio_client).

Email goes through Django's mail backend whatever the channel backend
(messaging.outbound_email). Portal messages are stored and shown to the patient portal's
export, whatever the backend: storing them is sending them. Automated voice calls are not
placed by any backend; calls are made by people and logged as call attempts.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

from messaging import outbound_email, twilio_client
from messaging.twilio_client import PermanentError
from queue_app.models import Message


@dataclass(frozen=True)
class Outcome:
    """What the provider said: its id for the message and the status to record."""

    sid: str
    status: str = Message.Status.SENT


class ChannelBackend(Protocol):
    """What every channel backend offers; chosen by settings.CHANNEL_BACKEND."""

    def send(self, message: Message) -> Outcome:
        """Hand one message to the provider; raises a twilio_client.TwilioError on failure."""
        ...

    def find_sent(self, message: Message, *, since: datetime) -> Outcome | None:
        """The provider's record of this message, if it was accepted (for reconciliation)."""
        ...


def local_sid(message: Message, prefix: str = "OB") -> str:
    return f"{prefix}{message.code.hex}"


class OutboxBackend(ChannelBackend):
    """Development outbox: marks the message sent; nothing leaves the machine."""

    def send(self, message: Message) -> Outcome:
        if message.channel == Message.Channel.EMAIL:
            return Outcome(outbound_email.send(message))
        if message.channel == Message.Channel.VOICE:
            raise PermanentError("automated calls are not placed; a person calls")
        prefix = "PO" if message.channel == Message.Channel.PORTAL else "OB"
        return Outcome(local_sid(message, prefix))

    def find_sent(self, message: Message, *, since: datetime) -> Outcome | None:
        # The outbox never loses an acceptance: an unknown outcome was never sent.
        return None


class TwilioBackend(ChannelBackend):
    """SMS through Twilio; its status callbacks come back to the `twilio:status` webhook."""

    def send(self, message: Message) -> Outcome:
        if message.channel == Message.Channel.PORTAL:
            return Outcome(local_sid(message, "PO"))
        if message.channel == Message.Channel.EMAIL:
            return Outcome(outbound_email.send(message))
        if message.channel == Message.Channel.VOICE:
            raise PermanentError("automated calls are not placed; a person calls")
        sent = twilio_client.send_sms(
            to=message.to_number,
            body=message.body,
            from_number=message.from_number,
            status_callback=status_callback_url(message),
            ticket=message.code.hex,
        )
        return Outcome(sent.sid)

    def find_sent(self, message: Message, *, since: datetime) -> Outcome | None:
        if message.channel != Message.Channel.SMS:
            return None
        found = twilio_client.find_sent(to=message.to_number, body=message.body, since=since)
        return Outcome(found.sid) if found else None


def status_callback_url(message: Message) -> str:
    """Absolute callback URL from BASE_URL (never a request's Host), naming the message.

    The message code in the query lets a callback settle a message whose send timed out
    before its SID was stored.
    """
    return f"{settings.BASE_URL}{reverse('twilio:status')}?m={message.code}"


def get_backend() -> ChannelBackend:
    path = settings.CHANNEL_BACKEND
    if "." not in path:
        path = f"messaging.channels.{path}"
    # The backends lived in queue_app.channels before the messaging app; old values still work.
    path = path.replace("queue_app.channels.", "messaging.channels.", 1)
    return import_string(path)()
