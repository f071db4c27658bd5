"""Twilio webhooks: validate the signature, store the request, enqueue, answer at once.

Nothing here acts on the content: a slow or failing worker never makes Twilio's request time
out, and a stored event is never lost. The only views of the project without CSRF, because
Twilio cannot send a token; the signature is what proves the sender instead.
"""

import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from twilio.request_validator import (
    SIGNATURE_SETTINGS_HEADER,
    RequestValidator,
    get_signature_algorithm,
)
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from messaging.inbound import store_event
from queue_app import alerting
from queue_app.models import PracticeNumber, WebhookEvent

logger = logging.getLogger(__name__)

GREETINGS = {
    "en": (
        "Thank you for calling {practice}. If this is an emergency, hang up and call 911. "
        "Please leave your name, your date of birth and a good time to call you back after "
        "the tone."
    ),
    "es": (
        "Gracias por llamar a {practice}. Si es una emergencia, cuelgue y llame al 911. "
        "Deje su nombre, su fecha de nacimiento y una buena hora para devolverle la llamada "
        "después del tono."
    ),
}
VOICES = {"en": "en-US", "es": "es-US"}
MAX_VOICEMAIL_SECONDS = 180


def public_url(request: HttpRequest) -> str:
    """The URL Twilio requested, rebuilt from BASE_URL: never the Host header or scheme the
    app sees behind a proxy. The query string is kept byte for byte, as it was signed."""
    url = settings.BASE_URL + request.path_info
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


def _signature_valid(request: HttpRequest) -> bool:
    signature = request.headers.get("X-Twilio-Signature")
    if not signature or not settings.TWILIO_AUTH_TOKEN:
        return False
    algorithm = get_signature_algorithm(request.headers.get(SIGNATURE_SETTINGS_HEADER))
    if request.content_type == "application/json":
        # JSON webhooks sign the URL (with its bodySHA256) and the raw body.
        if "bodySHA256" not in request.GET:
            return False
        params: object = request.body.decode("utf-8", errors="replace")
    else:
        params = request.POST
    validator = RequestValidator(settings.TWILIO_AUTH_TOKEN)
    return validator.validate(public_url(request), params, signature, algorithm)


def validate_twilio_request(view: Callable) -> Callable:
    """Refuse (403, nothing stored) any request not signed by Twilio for this exact URL."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseForbidden("Twilio webhooks are POST only.")
        if settings.TWILIO_VALIDATE_SIGNATURES and not _signature_valid(request):
            logger.warning("twilio webhook refused: bad signature on %s", request.path_info)
            _count_refusal(request)
            return HttpResponseForbidden("Invalid Twilio signature.")
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapper)


def _count_refusal(request: HttpRequest) -> None:
    """Count the refusal against the practice the request names (unsigned, so only a hint:
    a forger picks the number it attacks), for the admins' spike alert."""
    to = request.POST.get("To", "") if request.content_type != "application/json" else ""
    number = PracticeNumber.objects.filter(number=to[:16]).first() if to else None
    alerting.record_refusal(
        kind=alerting.WEBHOOK_REJECTED,
        practice_ids=[number.practice_id if number else None],
        now=timezone.now(),
    )


def _payload(request: HttpRequest) -> dict:
    payload = {key: request.POST.get(key) for key in request.POST}
    if request.GET:
        payload["_query"] = {key: request.GET.get(key) for key in request.GET}
    return payload


def _store(request: HttpRequest, kind: str, sid_field: str, status: str = "") -> bool | None:
    """Store the event; None when the SID is missing (not a Twilio request we know)."""
    payload = _payload(request)
    sid = payload.get(sid_field) or ""
    if not sid:
        return None
    store_event(
        kind=kind,
        sid=sid,
        status=status,
        payload=payload,
        path=request.path_info,
        signed=settings.TWILIO_VALIDATE_SIGNATURES,
        now=timezone.now(),
    )
    return True


def _twiml(response: object) -> HttpResponse:
    return HttpResponse(str(response), content_type="text/xml")


@validate_twilio_request
def inbound_sms(request: HttpRequest) -> HttpResponse:
    sid_field = "MessageSid" if "MessageSid" in request.POST else "SmsSid"
    if _store(request, WebhookEvent.Kind.SMS, sid_field) is None:
        return HttpResponseBadRequest("MessageSid is missing.")
    # Keyword replies go out through the outbox, so they are recorded like every send.
    return _twiml(MessagingResponse())


@validate_twilio_request
def message_status(request: HttpRequest) -> HttpResponse:
    status = request.POST.get("MessageStatus") or request.POST.get("SmsStatus") or ""
    if _store(request, WebhookEvent.Kind.STATUS, "MessageSid", status=status) is None:
        return HttpResponseBadRequest("MessageSid is missing.")
    # 200 even for a SID nobody knows, so Twilio stops retrying.
    return HttpResponse("")


@validate_twilio_request
def inbound_voice(request: HttpRequest) -> HttpResponse:
    if _store(request, WebhookEvent.Kind.CALL, "CallSid") is None:
        return HttpResponseBadRequest("CallSid is missing.")
    number = PracticeNumber.objects.select_related("practice").filter(
        number=request.POST.get("To", "")
    )
    practice = number.first().practice if number.exists() else None
    response = VoiceResponse()
    for language in practice.languages if practice else ["en"]:
        text = GREETINGS.get(language, GREETINGS["en"])
        response.say(
            text.format(practice=practice.name if practice else "our office"),
            language=VOICES.get(language, "en-US"),
        )
    response.record(
        action=_absolute("twilio:voice-recording"),
        transcribe=True,
        transcribe_callback=_absolute("twilio:voice-transcription"),
        max_length=MAX_VOICEMAIL_SECONDS,
        play_beep=True,
    )
    response.hangup()
    return _twiml(response)


@validate_twilio_request
def voice_recording(request: HttpRequest) -> HttpResponse:
    if _store(request, WebhookEvent.Kind.RECORDING, "RecordingSid") is None:
        return HttpResponseBadRequest("RecordingSid is missing.")
    response = VoiceResponse()
    response.hangup()
    return _twiml(response)


@validate_twilio_request
def voice_transcription(request: HttpRequest) -> HttpResponse:
    sid_field = "TranscriptionSid" if "TranscriptionSid" in request.POST else "RecordingSid"
    if _store(request, WebhookEvent.Kind.TRANSCRIPTION, sid_field) is None:
        return HttpResponseBadRequest("TranscriptionSid is missing.")
    return HttpResponse("")


def _absolute(name: str) -> str:
    # Callback URLs come from BASE_URL, as the signatures on them will be checked against it.
    return f"{settings.BASE_URL}{reverse(name)}"
