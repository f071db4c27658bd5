"""The portal intake endpoint: authenticate, parse, store once, answer in JSON.

No CSRF: the caller is a server, not a browser session; the token and the signature over
the body are what prove the sender (see messaging.portal and docs/PORTAL.md).
"""

import json
import logging

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from messaging import portal

logger = logging.getLogger(__name__)


def _refused(exc: portal.PortalRefused) -> JsonResponse:
    return JsonResponse({"error": exc.code, "detail": exc.detail}, status=exc.status)


@csrf_exempt
@require_POST
def portal_message(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    try:
        token = portal.authenticate(
            authorization=request.headers.get("Authorization", ""),
            timestamp=request.headers.get("X-Portal-Timestamp", ""),
            signature=request.headers.get("X-Portal-Signature", ""),
            body=request.body,
            now=now,
        )
        data = _json(request.body)
        received = portal.receive_portal_message(
            practice=token.practice,
            mrn=data.get("mrn", ""),
            sender_message_id=data.get("message_id", ""),
            text=data.get("text", ""),
            now=now,
        )
    except portal.PortalRefused as exc:
        logger.info("portal post refused: %s", exc.code)
        return _refused(exc)
    message = received.message
    body = {
        "message": str(message.code),
        "item": str(message.item.code) if message.item_id else None,
        "duplicate": not received.created,
    }
    return JsonResponse(body, status=201 if received.created else 200)


def _json(raw: bytes) -> dict:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise portal.PortalRefused(400, "bad_json", "The body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise portal.PortalRefused(400, "bad_json", "The body must be a JSON object.")
    return data
