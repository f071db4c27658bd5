"""Twilio webhooks: forged requests change nothing; genuine ones are accepted everywhere."""

import json
from itertools import product
from pathlib import Path

import pytest
from django.core.checks import Tags, run_checks
from django.test import Client
from django.urls import reverse
from twilio.request_validator import RequestValidator

from messaging import inbound
from messaging.webhooks import public_url
from queue_app.models import Message, WebhookEvent, WorkItem
from tests import factories
from tests.concurrency import at_once
from tests.messaging.conftest import AUTH_TOKEN
from tests.polling import wait_for

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "twilio"
ENDPOINTS = {
    "twilio:sms": "inbound_sms.json",
    "twilio:status": "status_delivered.json",
    "twilio:voice": "inbound_call.json",
    "twilio:voice-recording": "recording.json",
    "twilio:voice-transcription": "transcription.json",
}


def payload(name: str, **changes) -> dict:
    data = json.loads((FIXTURES / name).read_text())
    data.update(changes)
    return data


def sign(url: str, params: dict, token: str = AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, params)


def post(client: Client, path: str, params: dict, signature: str | None, **extra):
    headers = {} if signature is None else {"HTTP_X_TWILIO_SIGNATURE": signature}
    return client.post(path, params, **headers, **extra)


def test_twilio_pythons_documented_vector_validates_through_our_url(rf, settings):
    settings.BASE_URL = "https://mycompany.com"
    request = rf.post("/myapp.php?foo=1&bar=2")
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+14158675309",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
    }

    url = public_url(request)

    assert url == "https://mycompany.com/myapp.php?foo=1&bar=2"
    assert RequestValidator("12345").validate(url, params, "RSOYDt4T1cUTdK1PDd93/VVr8B8=")


# ---------------------------------------------------------------------------- genuine

SHAPES = {
    # name: (BASE_URL, what the app sees: secure?, Host, extra headers)
    "direct https": ("https://queue.example.org", True, "queue.example.org", {}),
    "tls proxy": (
        "https://queue.example.org", False, "web:8000", {"HTTP_X_FORWARDED_PROTO": "https"}
    ),
    "explicit port": ("https://queue.example.org:8443", True, "queue.example.org:8443", {}),
    "proxy, port stripped": ("https://queue.example.org:443", False, "10.0.0.5", {}),
}  # fmt: skip
QUERIES = ["", "?m=7b0c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3", "?practice=alpha&lang=es"]


@pytest.mark.parametrize("shape", SHAPES)
def test_genuine_webhooks_are_accepted_in_every_deployment_shape(
    db, settings, fake_twilio, practice_a, shape
):
    base, secure, host, extra = SHAPES[shape]
    settings.BASE_URL = base
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    accepted = 0
    for n, ((name, fixture), query, variant) in enumerate(
        product(ENDPOINTS.items(), QUERIES, range(4))
    ):
        params = payload(fixture)
        sid_field = next(k for k in ("TranscriptionSid", "RecordingSid", "MessageSid", "CallSid")
                         if k in params)  # fmt: skip
        params[sid_field] = f"{params[sid_field][:24]}{shape[:3]}{n:07d}"
        if variant == 1:
            params["MessagingServiceSid"] = "MG" + "1" * 32
        if variant == 2:
            params["Body"] = "¿Puedo cambiar mi cita? Gracias 🙏"
        path = reverse(name) + query
        signature = sign(base + path, params)
        response = post(client, path, params, signature, secure=secure, HTTP_HOST=host, **extra)
        assert response.status_code == 200, (name, query, variant)
        accepted += 1
    assert WebhookEvent.objects.count() == accepted == 60


def test_repeated_parameters_are_signed_and_accepted(db, fake_twilio, practice_a):
    path = reverse("twilio:sms")
    body = "MessageSid=SM1&Body=hi&MediaUrl=a&MediaUrl=b&To=%2B13055550001&From=%2B12025550101"
    from django.http import QueryDict

    signature = RequestValidator(AUTH_TOKEN).compute_signature(
        "https://queue.example.org" + path, QueryDict(body)
    )
    response = Client().post(
        path, body, content_type="application/x-www-form-urlencoded",
        HTTP_X_TWILIO_SIGNATURE=signature,
    )  # fmt: skip
    assert response.status_code == 200


def test_the_voice_webhook_greets_in_the_practices_languages_and_records(
    db, fake_twilio, practice_a
):
    params = payload("inbound_call.json", To=practice_a.phone)
    path = reverse("twilio:voice")
    response = post(Client(), path, params, sign("https://queue.example.org" + path, params))

    twiml = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert 'language="en-US"' in twiml and 'language="es-US"' in twiml
    assert "<Record" in twiml and "transcribeCallback" in twiml
    assert "https://queue.example.org/twilio/voice/recording/" in twiml


# ---------------------------------------------------------------------------- forged


def forged_variants():
    """≥ 100 ways to get a signature wrong, each (endpoint, path, params, signature, kw)."""
    base = "https://queue.example.org"
    for name, fixture in ENDPOINTS.items():
        path = reverse(name)
        params = payload(fixture)
        good = sign(base + path, params)
        yield name, "no header", path, params, None, {}
        yield name, "empty header", path, params, "", {}
        yield name, "garbage", path, params, "not-base64-@@@", {}
        yield name, "wrong token", path, params, sign(base + path, params, "x" * 32), {}
        yield name, "GET", path, params, good, {"method": "get"}
        for key in list(params)[:4]:
            yield name, f"{key} changed", path, {**params, key: params[key] + "1"}, good, {}
            removed = {k: v for k, v in params.items() if k != key}
            yield name, f"{key} removed", path, removed, good, {}
        yield name, "param added", path, {**params, "Extra": "1"}, good, {}
        yield name, "host changed", path, params, sign("https://evil.example" + path, params), {}
        yield (
            name,
            "scheme changed",
            path,
            params,
            sign("http://queue.example.org" + path, params),
            {},
        )
        yield name, "path changed", path, params, sign(base + path + "x/", params), {}
        yield name, "query added", path + "?m=1", params, good, {}
        yield name, "query changed", path + "?m=2", params, sign(base + path + "?m=1", params), {}
        other = "twilio:status" if name != "twilio:status" else "twilio:sms"
        yield name, "other endpoint", path, params, sign(base + reverse(other), params), {}
        yield (
            name,
            "sha256 unknown algorithm",
            path,
            params,
            good,
            {"HTTP_X_TWILIO_WEBHOOKS_SIGNATURE_SETTINGS": "key=k1,algorithm=HMAC_MD5"},
        )
        yield name, "json bad bodySHA256", path + "?bodySHA256=" + "0" * 64, params, good, {
            "content_type": "application/json"}  # fmt: skip


FORGED = list(forged_variants())


def test_the_forged_corpus_is_large_enough():
    assert len(FORGED) >= 100


@pytest.mark.parametrize(("name", "label", "path", "params", "signature", "kw"), FORGED,
                         ids=[f"{v[0]}-{v[1]}" for v in FORGED])  # fmt: skip
def test_a_forged_webhook_is_refused_and_changes_nothing(
    db, fake_twilio, django_capture_on_commit_callbacks, name, label, path, params,
    signature, kw
):  # fmt: skip
    kw = dict(kw)
    method = kw.pop("method", "post")
    headers = {} if signature is None else {"HTTP_X_TWILIO_SIGNATURE": signature}
    client = Client()
    with django_capture_on_commit_callbacks() as callbacks:
        if kw.get("content_type") == "application/json":
            response = client.post(path, json.dumps(params), **headers, **kw)
        else:
            response = getattr(client, method)(path, params, **headers, **kw)

    assert response.status_code == 403
    assert WebhookEvent.objects.count() == 0
    assert Message.objects.count() == 0
    assert callbacks == []


def test_no_auth_token_refuses_even_a_self_consistent_signature(db, fake_twilio, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    params = payload("inbound_sms.json")
    path = reverse("twilio:sms")
    response = post(Client(), path, params, sign("https://queue.example.org" + path, params, ""))
    assert response.status_code == 403


# ---------------------------------------------------------------------------- replays


def test_the_same_webhook_five_times_has_one_effect(db, fake_twilio, practice_a):
    patient = factories.make_patient(practice_a, phone="+12025550101")
    params = payload("inbound_sms.json", To=practice_a.phone, From=patient.phone)
    path = reverse("twilio:sms")
    signature = sign("https://queue.example.org" + path, params)
    for _ in range(5):
        assert post(Client(), path, params, signature).status_code == 200

    for event in WebhookEvent.objects.all():
        inbound.process_webhook_event(event_id=event.pk, now=event.received_at)
        inbound.process_webhook_event(event_id=event.pk, now=event.received_at)

    assert WebhookEvent.objects.count() == 1
    assert Message.objects.filter(direction="in").count() == 1
    assert WorkItem.objects.filter(patient=patient).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_webhook_five_times_at_once_has_one_effect(fake_twilio, settings):
    practice = factories.make_practice()
    patient = factories.make_patient(practice, phone="+12025550101")
    params = payload("inbound_sms.json", To=practice.phone, From=patient.phone)
    path = reverse("twilio:sms")
    signature = sign("https://queue.example.org" + path, params)
    responses = at_once(*[lambda: post(Client(), path, params, signature)] * 5)
    event = WebhookEvent.objects.get()
    at_once(*[lambda: inbound.process_webhook_event(event_id=event.pk, now=event.received_at)] * 5)

    # The webhook also queued the event for the worker: a Celery worker started by an earlier
    # test in this process may hold it (skip_locked sends the threads away), so wait for the
    # one run that applies it before counting its effects.
    assert wait_for(
        lambda: WebhookEvent.objects.filter(pk=event.pk, processed_at__isnull=False).exists()
    )
    assert [r.status_code for r in responses] == [200] * 5
    assert Message.objects.filter(direction="in").count() == 1
    assert WorkItem.objects.filter(patient=patient).count() == 1


# ---------------------------------------------------------------------------- system check


def test_production_refuses_unsigned_webhooks(settings):
    settings.DEBUG = False
    settings.TWILIO_VALIDATE_SIGNATURES = False
    settings.TWILIO_AUTH_TOKEN = "token"
    ids = {e.id for e in run_checks(tags=[Tags.security])}
    assert "queue_app.E001" in ids


def test_production_refuses_the_twilio_backend_without_a_token(settings):
    settings.DEBUG = False
    settings.TWILIO_VALIDATE_SIGNATURES = True
    settings.CHANNEL_BACKEND = "messaging.channels.TwilioBackend"
    settings.TWILIO_AUTH_TOKEN = ""
    ids = {e.id for e in run_checks(tags=[Tags.security])}
    assert "queue_app.E002" in ids


def test_development_passes_the_check(settings):
    settings.DEBUG = True
    settings.TWILIO_VALIDATE_SIGNATURES = False
    ids = {e.id for e in run_checks(tags=[Tags.security])}
    assert not ids & {"queue_app.E001", "queue_app.E002"}
