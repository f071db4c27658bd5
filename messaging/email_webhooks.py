"""The email webhooks in Mailgun's formats: inbound email (its "forward" route) and delivery
events (bounces, complaints). Verify, parse, store once.

No CSRF: the provider cannot send a token; its signature proves the sender. The provider
reads 406 as "do not retry", so a refusal about the email itself answers 406.
"""

import json
import logging
import re

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from messaging import email_events, inbound_email

logger = logging.getLogger(__name__)
MESSAGE_ID = re.compile(r"<[^<>\s]+>")


def _ids(value: str) -> list[str]:
    return MESSAGE_ID.findall(value or "")


def _parse(request: HttpRequest) -> inbound_email.InboundEmail:
    post = request.POST
    files = [
        inbound_email.InboundFile(
            name=upload.name or "",
            content_type=upload.content_type or "",
            size=upload.size or 0,
            read=upload.read,
        )
        for key, upload in sorted(request.FILES.items())
        if key.startswith("attachment-")
    ]
    return inbound_email.InboundEmail(
        recipient=post.get("recipient", ""),
        sender=post.get("sender") or post.get("from", ""),
        message_id=post.get("Message-Id", ""),
        replied_to=_ids(post.get("In-Reply-To", "")) + _ids(post.get("References", "")),
        text=post.get("stripped-text") or post.get("body-plain", ""),
        files=files,
        sender_verified=_verified(
            post.get("X-Mailgun-Spf", ""), post.get("X-Mailgun-Dkim-Check-Result", "")
        ),
    )


def _verified(spf: str, dkim: str) -> bool:
    """Either check passing vouches for the sender; a missing verdict is not a failure."""
    spf, dkim = spf.strip().lower(), dkim.strip().lower()
    if "pass" in (spf, dkim):
        return True
    return not (spf in ("fail", "softfail") or dkim == "fail")


@csrf_exempt
@require_POST
def inbound(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    token = request.POST.get("token", "")
    try:
        inbound_email.verify_signature(
            timestamp=request.POST.get("timestamp", ""),
            token=token,
            signature=request.POST.get("signature", ""),
            now=now,
        )
        message, created = inbound_email.receive_email(email=_parse(request), token=token, now=now)
    except inbound_email.EmailRefused as exc:
        logger.info("inbound email refused: %s", exc.code)
        return JsonResponse({"error": exc.code, "detail": exc.detail}, status=exc.status)
    return JsonResponse({"message": str(message.code), "duplicate": not created}, status=200)


def _event(data: dict) -> email_events.EmailEvent:
    headers = (data.get("message") or {}).get("headers") or {}
    status = data.get("delivery-status") or {}
    return email_events.EmailEvent(
        event=str(data.get("event", "")),
        severity=str(data.get("severity", "")),
        recipient=str(data.get("recipient", "")),
        message_id=str(headers.get("message-id", "")),
        code=str(status.get("code", "") or ""),
    )


@csrf_exempt
@require_POST
def events(request: HttpRequest) -> JsonResponse:
    """Mailgun's event webhook: JSON {"signature": {timestamp, token, signature},
    "event-data": {event, severity, recipient, message.headers.message-id, ...}}."""
    now = timezone.now()
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        payload = {}
    if not isinstance(payload, dict):
        payload = {}
    signature = payload.get("signature") if isinstance(payload.get("signature"), dict) else {}
    data = payload.get("event-data") if isinstance(payload.get("event-data"), dict) else {}
    token = str(signature.get("token", ""))
    try:
        inbound_email.verify_signature(
            timestamp=str(signature.get("timestamp", "")),
            token=token,
            signature=str(signature.get("signature", "")),
            now=now,
        )
        outcome = email_events.apply_event(event=_event(data), token=token, now=now)
    except inbound_email.EmailRefused as exc:
        logger.info("email event refused: %s", exc.code)
        return JsonResponse({"error": exc.code, "detail": exc.detail}, status=exc.status)
    return JsonResponse({"outcome": outcome}, status=200)
