"""The one place that talks to Twilio's REST API, through the official twilio SDK.

Errors are sorted by what they mean for a resend, because that decides whether a patient may
get a text twice:

- `RetryableError`: Twilio certainly did not accept the message (429, 5xx answered, the
  connection never opened). Sending again is safe.
- `AmbiguousError`: the request went out and no answer came back (read timeout, connection
  dropped). Twilio may have accepted it; only a look at Twilio's message list can tell.
- `PermanentError`: Twilio refused it for a reason that retrying cannot fix (opted out,
  invalid or unreachable number).

`settings.TWILIO_API_BASE` redirects the SDK's requests to another origin (tests run a local
fake); everything else, request building and response parsing, is the real SDK.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from uuid import uuid4

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from messaging import rate_limit

logger = logging.getLogger(__name__)
# The SDK logs every request's URL and parameters at INFO: phone numbers and message bodies.
logging.getLogger("twilio.http_client").setLevel(logging.WARNING)

# Twilio error codes that no retry can fix.
# 21610 unsubscribed recipient; 21211 invalid To; 21614 not a mobile number; 21635 not a
# valid mobile for the region; 21408/21612 unreachable from this sender; 30003-30007 carrier
# unreachable, unknown, blocked, landline, filtered.
PERMANENT_CODES = frozenset(
    {21610, 21211, 21614, 21635, 21408, 21612, 30003, 30004, 30005, 30006, 30007}
)
OPTED_OUT_CODE = 21610
# connect and read timeouts, seconds: a read timeout is the ambiguous case.
TIMEOUT = (3.05, 10)
# How many of the recipient's latest messages a reconciliation reads.
RECONCILE_LIMIT = 50


class TwilioError(Exception):
    def __init__(self, message: str, *, code: int | None = None, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.status = status


class RetryableError(TwilioError):
    """Twilio did not accept the request; sending again is safe."""


class AmbiguousError(TwilioError):
    """The request may have been accepted; reconcile before any resend."""


class PermanentError(TwilioError):
    """Twilio refused the message for good."""


@dataclass(frozen=True)
class SentMessage:
    sid: str
    status: str
    to: str
    body: str
    date_created: datetime | None


class HttpClient(TwilioHttpClient):
    """The SDK's own HTTP client with separate connect and read timeouts, and *.twilio.com
    optionally rewritten to one base URL (a local fake in tests)."""

    def __init__(self, base: str = "", **kwargs):
        super().__init__(**kwargs)
        self.base = base.rstrip("/")
        # (connect, read): the SDK's constructor only takes one number, requests takes both.
        self.timeout = TIMEOUT

    def request(self, method: str, url: str, *args, **kwargs):
        parts = urlsplit(url)
        if self.base and parts.hostname and parts.hostname.endswith("twilio.com"):
            url = self.base + parts.path + (f"?{parts.query}" if parts.query else "")
        return super().request(method, url, *args, **kwargs)


_clients: dict[tuple[str, str, str], Client] = {}


def get_client() -> Client:
    """A Twilio client per process and credentials (its HTTP session keeps connections)."""
    key = (settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_API_BASE)
    client = _clients.get(key)
    if client is None:
        http = HttpClient(settings.TWILIO_API_BASE)
        client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http)
        _clients[key] = client
    return client


def _classify_rest(exc: TwilioRestException) -> TwilioError:
    code = int(exc.code) if exc.code else None
    if code in PERMANENT_CODES:
        return PermanentError(exc.msg or "refused", code=code, status=exc.status)
    if exc.status == 429 or exc.status >= 500:
        return RetryableError(f"HTTP {exc.status}", code=code, status=exc.status)
    # Any other 4xx is a request Twilio will refuse the same way next time.
    return PermanentError(exc.msg or f"HTTP {exc.status}", code=code, status=exc.status)


def _classify_transport(exc: requests.RequestException) -> TwilioError:
    # ConnectTimeout and a refused connection happen before a byte of the request left;
    # anything after that (read timeout, reset, dropped) may follow Twilio's acceptance.
    if isinstance(exc, requests.ConnectTimeout):
        return RetryableError("connect timeout")
    if isinstance(exc, requests.ConnectionError) and _never_connected(exc):
        return RetryableError("connection refused")
    return AmbiguousError(type(exc).__name__)


def _never_connected(exc: requests.ConnectionError) -> bool:
    reason = exc.args[0] if exc.args else None
    text = repr(getattr(reason, "reason", reason))
    return "NewConnectionError" in text or "NameResolutionError" in text


def send_sms(
    *, to: str, body: str, from_number: str, status_callback: str = "", ticket: str = ""
) -> SentMessage:
    """POST one message to Twilio, in its sending number's turn (`ticket` names the message
    there); raises a TwilioError subclass saying whether to retry, or rate_limit.NoTurn when
    the number has no turn."""
    kwargs: dict = {"to": to, "body": body}
    if settings.TWILIO_MESSAGING_SERVICE_SID:
        kwargs["messaging_service_sid"] = settings.TWILIO_MESSAGING_SERVICE_SID
    else:
        kwargs["from_"] = from_number
    if status_callback:
        kwargs["status_callback"] = status_callback
    # The SDK loads its Messages API on first use (seconds): before the turn, not after it.
    messages = get_client().messages
    if settings.SENDER_RATE_LIMITS and from_number:
        # Last before the request, so that the pace taken is the pace Twilio sees.
        rate_limit.wait_for_turn(from_number, body, ticket or uuid4().hex)
    try:
        message = messages.create(**kwargs)
    except TwilioRestException as exc:
        raise _classify_rest(exc) from exc
    except requests.RequestException as exc:
        raise _classify_transport(exc) from exc
    return SentMessage(message.sid, message.status, message.to, message.body, message.date_created)


def find_sent(*, to: str, body: str, since: datetime) -> SentMessage | None:
    """Twilio's record of a message with this recipient and body created since `since`.

    Used before any resend of a message whose outcome is unknown. Raises RetryableError when
    Twilio cannot be asked now (the caller then waits, it does not resend).
    """
    slack = since - timedelta(minutes=2)
    # No DateSent filter: a message Twilio accepted but has not sent yet has no DateSent.
    try:
        candidates = get_client().messages.list(to=to, limit=RECONCILE_LIMIT)
    except TwilioRestException as exc:
        raise RetryableError(f"list failed: HTTP {exc.status}", status=exc.status) from exc
    except TwilioException as exc:
        # A refused list page is a plain TwilioException (the SDK's Page), not a REST error.
        raise RetryableError(f"list failed: {exc}") from exc
    except requests.RequestException as exc:
        raise RetryableError(f"list failed: {type(exc).__name__}") from exc
    for message in candidates:
        created = message.date_created
        if message.body == body and (created is None or created >= slack):
            return SentMessage(message.sid, message.status, message.to, message.body, created)
    return None


@dataclass(frozen=True)
class ReceivedMessage:
    sid: str
    from_number: str
    to: str
    body: str
    num_media: str
    date_sent: datetime | None


# How many inbound messages one number's reconciliation reads at most per run.
INBOUND_LIST_LIMIT = 1000


def list_inbound(*, to: str, since: datetime) -> list[ReceivedMessage]:
    """The messages Twilio received for `to` sent since `since`, for the daily reconciliation.

    Raises RetryableError when Twilio cannot be asked now (the next run reads again).
    """
    try:
        found = get_client().messages.list(to=to, date_sent_after=since, limit=INBOUND_LIST_LIMIT)
    except TwilioException as exc:
        # A refused list page is a plain TwilioException (the SDK's Page), not a REST error.
        raise RetryableError(f"list failed: {exc}") from exc
    except requests.RequestException as exc:
        raise RetryableError(f"list failed: {type(exc).__name__}") from exc
    return [
        ReceivedMessage(
            m.sid, m.from_ or "", m.to or "", m.body or "", m.num_media or "0", m.date_sent
        )
        for m in found
        # Twilio's DateSent filter reads whole days: the hour is checked here.
        if m.direction == "inbound" and (m.date_sent is None or m.date_sent >= since)
    ]
