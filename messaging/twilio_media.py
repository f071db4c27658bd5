"""Twilio's Media resource: download what a patient attached to an MMS, then delete it.

Media URLs arrive in the signed webhook, but they are still checked before the account's
credentials go anywhere near them: only Twilio's API host, only this account's media.
`settings.TWILIO_API_BASE` redirects the requests to a local fake in tests, as for sends.
"""

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from twilio.base.exceptions import TwilioRestException

from messaging.twilio_client import TIMEOUT, PermanentError, RetryableError, get_client

logger = logging.getLogger(__name__)

MEDIA_HOST = "api.twilio.com"
MEDIA_PATH = re.compile(
    r"^/2010-04-01/Accounts/(?P<account>AC[0-9a-fA-F]{32})/Messages/(?P<message>(MM|SM)[0-9a-fA-F]{32})"
    r"/Media/(?P<media>ME[0-9a-fA-F]{32})$"
)
CHUNK = 64 * 1024


class MediaUrlRefused(Exception):
    """The URL is not a media resource of this Twilio account."""


@dataclass(frozen=True)
class MediaRef:
    message_sid: str
    media_sid: str


@dataclass(frozen=True)
class Download:
    content: bytes
    declared_type: str
    # More bytes than allowed: the rest was never read, `size` is what was announced or seen.
    too_large: bool
    size: int


def parse_media_url(url: str) -> MediaRef:
    """The message and media SIDs of a Twilio media URL of this account, or MediaUrlRefused."""
    parts = urlsplit(url)
    match = MEDIA_PATH.match(parts.path)
    if parts.scheme != "https" or parts.hostname != MEDIA_HOST or match is None:
        raise MediaUrlRefused("not a Twilio media URL")
    if match["account"] != settings.TWILIO_ACCOUNT_SID:
        raise MediaUrlRefused("media of another Twilio account")
    return MediaRef(match["message"], match["media"])


def _local(url: str) -> str:
    base = settings.TWILIO_API_BASE.rstrip("/")
    if not base:
        return url
    parts = urlsplit(url)
    return base + parts.path + (f"?{parts.query}" if parts.query else "")


def download_media(*, url: str, max_bytes: int) -> Download:
    """GET the media with the account's credentials, reading at most max_bytes + 1 bytes.

    Twilio answers with a redirect to short-lived storage; requests drops the credentials
    when the redirect leaves Twilio's host. Raises RetryableError (try later) or
    PermanentError (the media is gone).
    """
    auth = (settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)
    try:
        with requests.get(_local(url), auth=auth, stream=True, timeout=TIMEOUT) as response:
            if response.status_code == 404:
                raise PermanentError("media not found", status=404)
            if response.status_code >= 400:
                raise RetryableError(f"HTTP {response.status_code}", status=response.status_code)
            declared = response.headers.get("Content-Type", "")[:100]
            announced = int(response.headers.get("Content-Length") or 0)
            if announced > max_bytes:
                return Download(b"", declared, too_large=True, size=announced)
            content = bytearray()
            for chunk in response.iter_content(CHUNK):
                content += chunk
                if len(content) > max_bytes:
                    return Download(b"", declared, too_large=True, size=len(content))
    except requests.RequestException as exc:
        raise RetryableError(type(exc).__name__) from exc
    return Download(bytes(content), declared, too_large=False, size=len(content))


def delete_media(ref: MediaRef) -> bool:
    """Delete the media from Twilio (it keeps it until told otherwise); True once it is gone."""
    try:
        get_client().messages(ref.message_sid).media(ref.media_sid).delete()
    except TwilioRestException as exc:
        if exc.status == 404:
            return True
        logger.warning("twilio media delete failed: HTTP %s", exc.status)
        return False
    except requests.RequestException as exc:
        logger.warning("twilio media delete failed: %s", type(exc).__name__)
        return False
    return True
